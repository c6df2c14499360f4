import Foundation
import MedicKube
import Yams

/// What `medic advise --output patch` leaves in its directory: one kustomize patch file per
/// fix, and with a manifests repository one diff that `git apply` takes.
public struct PatchFiles {
    /// Paths written, relative to the output directory, in fix order.
    public var patches: [String] = []
    /// `medic-fixes.diff`, when a manifests repository was given and a fix changed it.
    public var diff: String?
    /// Fixes that could not be written into the manifests, with why.
    public var unplaced: [(fix: DeclarativeFix, reason: String)] = []

    public static let diffName = "medic-fixes.diff"

    /// Writes `plan` under `directory` (created when missing).
    public static func write(_ plan: GitOpsPlan, to directory: URL, manifests: ManifestRepository?) throws(GitOpsError) -> PatchFiles {
        var written = PatchFiles()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw GitOpsError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        var repository = manifests
        for (index, fix) in plan.fixes.enumerated() {
            let name = String(format: "%02d-%@-%@-%@.yaml", index + 1, fix.runbook, fix.object.kind.lowercased(), fix.object.name)
            try save(patchFile(fix), as: directory.appendingPathComponent(name))
            written.patches.append(name)
            if repository != nil {
                do throws(GitOpsError) {
                    _ = try repository!.apply(fix)
                } catch {
                    written.unplaced.append((fix, error.description))
                }
            }
        }
        if let repository {
            let diff = repository.files.filter(\.changed).map { UnifiedDiff.file($0.path, from: $0.original, to: $0.text) }.joined()
            if !diff.isEmpty {
                try save(diff, as: directory.appendingPathComponent(diffName))
                written.diff = diffName
            }
        }
        return written
    }

    /// The patch document under a comment saying what it fixes and how to use it.
    static func patchFile(_ fix: DeclarativeFix) throws(GitOpsError) -> String {
        let yaml: String
        do {
            yaml = try Yams.serialize(node: YAMLRebuild.node(.mapping(Node.Mapping([])), as: fix.document), width: -1)
        } catch {
            throw GitOpsError("cannot write the patch for \(fix.object): \(error)")
        }
        let header = [
            "# \(fix.runbook): \(Redaction.redact(fix.summary))",
            "# In Git instead of live, the change of: \(fix.command ?? fix.action)",
            "# Add it to the kustomization's `patches:` (- path: this file), or apply it with",
            "# kubectl patch \(fix.object.kind.lowercased()) \(fix.object.name) -n \(fix.object.namespace) --type strategic --patch-file this file",
        ]
        return header.map { $0 + "\n" }.joined() + yaml
    }

    private static func save(_ text: String, as url: URL) throws(GitOpsError) {
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw GitOpsError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
