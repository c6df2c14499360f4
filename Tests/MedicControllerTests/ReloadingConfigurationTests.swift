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

    /// A ConfigMap volume as the kubelet writes it: the files are links into `..data`, itself a
    /// link to a timestamped directory, and an update re-points `..data` in one rename.
    @Test func aConfigMapSymlinkSwapIsPickedUp() async throws {
        try await Self.withFiles { runbooks, _ in
            let volume = runbooks.deletingLastPathComponent().appendingPathComponent("policy-volume")
            func version(_ name: String, mode: String) throws {
                let directory = volume.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Self.policy(mode: mode).write(to: directory.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
                // Re-pointed in one rename; the file medic is given is a link whose own times never change.
                let link = volume.appendingPathComponent("..data_tmp")
                try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: name)
                #expect(rename(link.path, volume.appendingPathComponent("..data").path) == 0)
            }
            try version("..2026_12_02_01", mode: "advise")
            let policyFile = volume.appendingPathComponent("policy.yaml")
            try FileManager.default.createSymbolicLink(atPath: policyFile.path, withDestinationPath: "..data/policy.yaml")
            let configuration = try ReloadingConfiguration(runbookDirectories: [runbooks], policyFile: policyFile,
                                                           logger: LoggingCapture().logger())
            #expect(await configuration.refresh().policy.mode == .advise)
            try version("..2026_12_02_02", mode: "apply")
            let current = await configuration.refresh()
            #expect(current.policy.mode == .apply)
            #expect(current.generation == 2)
        }
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
