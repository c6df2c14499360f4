import Foundation
import MedicController
import MedicPolicy
import Testing

/// Runbooks and policy re-read on change; a broken change keeps the last good configuration.
struct ReloadingConfigurationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func policy(mode: String) -> String {
        """
        apiVersion: medic.io/v1
        kind: Policy
        metadata:
          name: test
        spec:
          mode: \(mode)
        """
    }

    /// A directory with two shipped runbooks and a policy file, removed after `body`.
    static func withFiles(_ body: (_ runbooks: URL, _ policy: URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-reload-\(UUID().uuidString)")
        let runbooks = directory.appendingPathComponent("runbooks")
        try FileManager.default.createDirectory(at: runbooks, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["oom-killed.yaml", "bad-image.yaml"] {
            try FileManager.default.copyItem(
                at: repository.appendingPathComponent("runbooks/\(name)"), to: runbooks.appendingPathComponent(name))
        }
        let policyFile = directory.appendingPathComponent("policy.yaml")
        try policy(mode: "advise").write(to: policyFile, atomically: true, encoding: .utf8)
        try await body(runbooks, policyFile)
    }

    /// Writes `text` and moves the modification time on, so the change shows even within
    /// the file system's timestamp granularity.
    static func rewrite(_ url: URL, _ text: String, secondsLater: TimeInterval) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(secondsLater)], ofItemAtPath: url.path)
    }

    final class Reloads: @unchecked Sendable {
        let lock = NSLock()
        var results: [Bool] = []
        func append(_ result: Bool) { lock.withLock { results.append(result) } }
    }

    @Test func aValidChangeIsPickedUpAndAnInvalidOneKeepsTheLastGood() async throws {
        try await Self.withFiles { runbooks, policyFile in
            let capture = LoggingCapture()
            let reloads = Reloads()
            let configuration = try ReloadingConfiguration(
                runbookDirectories: [runbooks], policyFile: policyFile, logger: capture.logger(), onReload: reloads.append)
            var current = await configuration.refresh()
            #expect(current.generation == 1)
            #expect(current.policy.mode == .advise)
            #expect(current.runbooks.map(\.id) == ["bad-image", "oom-killed"])
            #expect(reloads.results.isEmpty)

            try Self.rewrite(policyFile, Self.policy(mode: "dry-run"), secondsLater: 10)
            current = await configuration.refresh()
            #expect(current.generation == 2)
            #expect(current.policy.mode == .dryRun)
            #expect(capture.events("configuration reloaded").first?["mode"] as? String == "dry-run")

            try Self.rewrite(policyFile, Self.policy(mode: "always"), secondsLater: 20)
            current = await configuration.refresh()
            #expect(current.generation == 2)
            #expect(current.policy.mode == .dryRun)
            let error = try #require(await configuration.lastError)
            #expect(error.file == policyFile.path)
            #expect(error.line == 6)
            #expect(error.column == 9)
            let logged = try #require(capture.events("configuration change not loaded; the last good configuration stays in force").first)
            #expect(logged["level"] as? String == "error")
            #expect((logged["error"] as? String)?.hasPrefix("\(policyFile.path):6:9: spec.mode") == true)
            // Unchanged files are not re-read (and the failure is not logged again).
            _ = await configuration.refresh()
            #expect(reloads.results == [true, false])

            // Another change while the policy is still broken: still the last good one.
            try FileManager.default.removeItem(at: runbooks.appendingPathComponent("bad-image.yaml"))
            current = await configuration.refresh()
            #expect(current.generation == 2)
            #expect(current.runbooks.map(\.id) == ["bad-image", "oom-killed"])
            // Fixed: both changes take effect together.
            try Self.rewrite(policyFile, Self.policy(mode: "apply"), secondsLater: 30)
            current = await configuration.refresh()
            #expect(current.generation == 3)
            #expect(current.runbooks.map(\.id) == ["oom-killed"])
            #expect(current.policy.mode == .apply)
            #expect(await configuration.lastError == nil)
            #expect(reloads.results == [true, false, false, true])
        }
    }
}
