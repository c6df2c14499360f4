import Foundation
import MedicKube
import Yams

/// The YAML files of a manifests repository (what Argo CD or Flux syncs from), read so a fix
/// can be written into the document that declares its object. Files and documents not
/// touched stay byte for byte as they are.
public struct ManifestRepository {
    public let root: URL
    public private(set) var files: [ManifestFile]

    /// Reads every `.yaml` and `.yml` file under `root` (skipping hidden folders such as
    /// `.git`). A file that is not YAML is an error naming it: a fix must not be written
    /// beside a document medic could not read.
    public init(root: URL) throws(GitOpsError) {
        self.root = root
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GitOpsError("--manifests \(root.path): no such directory")
        }
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard ["yaml", "yml"].contains(url.pathExtension) else { continue }
            paths.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        files = []
        for path in paths.sorted() {
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                throw GitOpsError("\(path): cannot be read")
            }
            files.append(try ManifestFile(path: path, text: String(decoding: data, as: UTF8.self)))
        }
    }

    /// Where `ref` is declared: a document of its kind and name whose namespace is the same
    /// or left to the kustomization (no `metadata.namespace`). Two candidates are an error:
    /// medic will not guess which overlay is the live one.
    public func locate(_ ref: ObjectRef) throws(GitOpsError) -> (file: Int, document: Int) {
        var matches: [(file: Int, document: Int, exact: Bool)] = []
        for (fileIndex, file) in files.enumerated() {
            for (documentIndex, document) in file.documents.enumerated() {
                let object = document.object
                guard object["kind"]?.string == ref.kind, object["metadata"]?["name"]?.string == ref.name else { continue }
                let namespace = object["metadata"]?["namespace"]?.string
                guard namespace == nil || namespace == ref.namespace else { continue }
                matches.append((fileIndex, documentIndex, namespace != nil))
            }
        }
        let exact = matches.filter(\.exact)
        let chosen = exact.count == 1 ? exact : matches
        guard chosen.count == 1, let match = chosen.first else {
            if matches.isEmpty { throw GitOpsError("no manifest declares \(ref) under \(root.path)") }
            let places = matches.map { "\(files[$0.file].path) (document \($0.document + 1))" }.joined(separator: ", ")
            throw GitOpsError("\(ref) is declared more than once: \(places); write the fix by hand in the one that is synced")
        }
        return (match.file, match.document)
    }

    /// Writes `fix` into the document that declares its object.
    public mutating func apply(_ fix: DeclarativeFix) throws(GitOpsError) -> String {
        let (file, document) = try locate(fix.object)
        try files[file].documents[document].apply(.object(["spec": fix.spec]))
        return files[file].path
    }
}

/// One file, split at its `---` lines so each document can be rewritten alone.
public struct ManifestFile {
    public let path: String
    /// The file as read.
    public let original: String
    var documents: [ManifestDocument]
    /// The separator lines, `separators[i]` before `documents[i]` ("" when there is none).
    private let separators: [String]

    init(path: String, text: String) throws(GitOpsError) {
        self.path = path
        original = text
        var documents: [String] = [""], separators: [String] = [""]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
            if line == "---" || line.hasPrefix("--- ") {
                documents.append("")
                separators.append(line + "\n")
            } else {
                documents[documents.count - 1] += line + "\n"
            }
        }
        self.separators = separators
        var parsed: [ManifestDocument] = []
        for (index, document) in documents.enumerated() {
            do {
                parsed.append(try ManifestDocument(text: document))
            } catch {
                throw GitOpsError("\(path) (document \(index + 1)): \(error)")
            }
        }
        self.documents = parsed
    }

    /// The file with every rewritten document in place.
    public var text: String {
        zip(separators, documents).map { $0 + $1.text }.joined()
    }

    public var changed: Bool { documents.contains(where: \.changed) }
}

/// One YAML document: its text, and the parsed node it is rewritten from. The emitter drops
/// comments and normalises layout; `CommentCarry` puts every line that did not change back
/// as it was written, comments included.
struct ManifestDocument {
    private(set) var text: String
    private var node: Node?
    private(set) var object: JSON
    private(set) var changed = false

    init(text: String) throws {
        self.text = text
        node = try Yams.compose(yaml: text).map { YAMLRebuild.withSourceStyles($0, text: text) }
        object = try node.map { try JSON(yaml: $0) } ?? .null
    }

    mutating func apply(_ patch: JSON) throws(GitOpsError) {
        guard let node else { throw GitOpsError("the document is empty") }
        let patched: JSON
        do {
            patched = try Patcher.apply(patch, type: .strategicMerge, to: object)
        } catch {
            throw GitOpsError("the fix does not apply to the manifest: \(error.message)")
        }
        guard patched != object else { return }
        let rebuilt = YAMLRebuild.node(node, as: patched)
        let body: String
        do {
            body = try Yams.serialize(node: rebuilt, indent: Self.indent(of: text), width: -1)
        } catch {
            throw GitOpsError("cannot write the patched manifest: \(error)")
        }
        text = CommentCarry.restore(original: text, emitted: body)
        self.node = rebuilt
        object = patched
        changed = true
    }

    /// The document's own indentation step (2 when it cannot tell), so the rewrite matches it.
    private static func indent(of text: String) -> Int {
        for line in text.split(separator: "\n") where line.first == " " {
            let spaces = line.prefix { $0 == " " }.count
            if !line.dropFirst(spaces).hasPrefix("#") { return max(2, min(spaces, 8)) }
        }
        return 2
    }
}
