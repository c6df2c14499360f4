import Foundation
import Logging
import MedicPolicy
import MedicRunbook

/// The runbooks and the policy a long-running medic uses, re-read when their files change,
/// so editing a runbook or tightening a policy needs no restart. A change that does not
/// load (a typo at 3 AM) is logged with its `file:line:col` error and changes nothing: the
/// last good configuration stays in force until the files are fixed.
public actor ReloadingConfiguration {
    /// One consistent set of runbooks and policy.
    public struct Loaded: Sendable {
        public var runbooks: [Runbook]
        public var policy: Policy
        /// Bumped on every successful reload, so users can rebuild what depends on it only then.
        public var generation: Int
    }

    /// The built-in runbooks' directory and the user's own, read as one set.
    public nonisolated let runbookDirectories: [URL]
    /// nil: `Policy.builtIn` (advise only).
    public nonisolated let policyFile: URL?
    private let logger: Logger
    private let onReload: @Sendable (_ succeeded: Bool) -> Void
    public private(set) var current: Loaded
    /// The problem with the files as they are now, while the last good configuration is used.
    public private(set) var lastError: LoadError?
    /// Each file's contents as last loaded. Contents, not timestamps: a ConfigMap volume
    /// updates by re-pointing its `..data` symlink, which changes no attribute of the
    /// `policy.yaml -> ..data/policy.yaml` link medic is given.
    private var fingerprint: [String: Data?]

    /// Loads the configuration once; a failure here is the caller's to report (there is no
    /// last good configuration to fall back to yet).
    public init(
        runbookDirectories: [URL], policyFile: URL?, logger: Logger,
        onReload: @escaping @Sendable (_ succeeded: Bool) -> Void = { _ in }
    ) throws(LoadError) {
        self.runbookDirectories = runbookDirectories
        self.policyFile = policyFile
        self.logger = logger
        self.onReload = onReload
        fingerprint = Self.fingerprint(runbookDirectories: runbookDirectories, policyFile: policyFile)
        let (runbooks, policy) = try Self.load(runbookDirectories: runbookDirectories, policyFile: policyFile)
        current = Loaded(runbooks: runbooks, policy: policy, generation: 1)
    }

    /// Re-reads the files (through their symlinks) and reloads when any changed, was added or
    /// removed. Returns the configuration to use for the next pass.
    public func refresh() -> Loaded {
        let now = Self.fingerprint(runbookDirectories: runbookDirectories, policyFile: policyFile)
        guard now != fingerprint else { return current }
        fingerprint = now
        do {
            let (runbooks, policy) = try Self.load(runbookDirectories: runbookDirectories, policyFile: policyFile)
            current = Loaded(runbooks: runbooks, policy: policy, generation: current.generation + 1)
            lastError = nil
            logger.notice("configuration reloaded", metadata: [
                "runbooks": "\(runbooks.count)", "policy": "\(policy.name)", "mode": "\(policy.mode.rawValue)",
            ])
            onReload(true)
        } catch {
            lastError = error
            logger.error("configuration change not loaded; the last good configuration stays in force", metadata: [
                "error": "\(error)", "file": "\(error.file)", "line": "\(error.line)", "column": "\(error.column)",
            ])
            onReload(false)
        }
        return current
    }

    private static func load(runbookDirectories: [URL], policyFile: URL?) throws(LoadError) -> ([Runbook], Policy) {
        let runbooks = try RunbookLoader.loadDirectories(runbookDirectories)
        guard !runbooks.isEmpty else {
            throw LoadError(file: runbookDirectories.map(\.path).joined(separator: ", "), line: 0, column: 0, field: "",
                            message: "no runbooks (*.yaml) in the directory")
        }
        let policy = try policyFile.map { url throws(LoadError) in try PolicyLoader.loadFile(url) } ?? .builtIn
        return (runbooks, policy)
    }

    private static func fingerprint(runbookDirectories: [URL], policyFile: URL?) -> [String: Data?] {
        var files = runbookDirectories.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .map { directory.appendingPathComponent($0).path }
        }
        if let policyFile { files.append(policyFile.path) }
        // An unreadable file is recorded as such (nil), so it reads as a change when it comes back.
        return Dictionary(files.map { ($0, FileManager.default.contents(atPath: $0)) }, uniquingKeysWith: { first, _ in first })
    }
}
