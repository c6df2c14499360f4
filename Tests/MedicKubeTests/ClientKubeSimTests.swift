import Foundation
import MedicProcess
import Testing
@testable import MedicKube

/// The `kube-sim` executable SwiftPM built beside this test bundle, serving the cloudmart
/// example on a free 127.0.0.1 port for one test body, with the kubeconfig it writes.
private enum KubeSimProcess {
    static var executable: String? {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("kube-sim").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        let built = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/kube-sim").standardizedFileURL.path
        return FileManager.default.isExecutableFile(atPath: built) ? built : nil
    }

    static let cloudmart = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/examples/cloudmart/snapshot.json").standardizedFileURL.path

    static func with<T>(_ body: (_ kubeconfig: String) async throws -> T) async throws -> T {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let kubeconfig = "\(directory.path)/kubeconfig"
        let process = try ChildProcess.spawn(
            try #require(executable), ["--load", cloudmart, "--write-kubeconfig", kubeconfig, "--exit-after", "60"], stdout: .null)
        defer { process.stop() }
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: kubeconfig) {
            guard ContinuousClock.now < deadline, process.exitStatus() == nil else { throw KubeFixtureServer.StartFailure(description: "kube-sim did not start") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await body(kubeconfig)
    }
}

@Suite("against KubeSim", .enabled(if: KubeSimProcess.executable != nil, "needs the kube-sim executable built"))
struct ClientKubeSimTests {
    @Test("a live read of KubeSim loaded with cloudmart gives the cloudmart objects")
    func liveRead() async throws {
        let expected = try Snapshot.load(contentsOf: URL(fileURLWithPath: KubeSimProcess.cloudmart))
        try await KubeSimProcess.with { kubeconfig in
            let connection = try ClusterLocator(kubeconfig: kubeconfig, environment: [:]).connect()
            #expect(connection.namespace == "default")
            let reading = try await ClusterSnapshotReader(reader: KubeReader(connection: connection)).read()
            let snapshot = reading.snapshot
            #expect(Set(snapshot.pods.map(\.metadata.name)) == Set(expected.pods.map(\.metadata.name)))
            #expect(snapshot.pods.map(\.status.containerStatuses).sorted { "\($0)" < "\($1)" }
                == expected.pods.map(\.status.containerStatuses).sorted { "\($0)" < "\($1)" })
            #expect(Set(snapshot.deployments.map(\.metadata.name)) == Set(expected.deployments.map(\.metadata.name)))
            #expect(Set(snapshot.services.map(\.spec.selector)) == Set(expected.services.map(\.spec.selector)))
            #expect(snapshot.events.count == expected.events.count)
            #expect(snapshot.podLogs.isEmpty)
            // The three crash-looping containers' logs, which KubeSim does not keep: one line.
            #expect(reading.warnings.count == 1)
            #expect(reading.warnings.first?.hasSuffix("(and 2 more like it)") == true, "\(reading.warnings)")
            #expect(reading.missingNamespace == nil)
            let misspelt = try await ClusterSnapshotReader(reader: KubeReader(connection: connection), namespace: "prodution").read()
            #expect(misspelt.missingNamespace?.name == "prodution")
            #expect(misspelt.missingNamespace?.known?.contains("production") == true)
        }
    }

    @Test("get, dry-run and real patches, create conflicts, and a watch seeing the change")
    func readWriteWatch() async throws {
        try await KubeSimProcess.with { kubeconfig in
            let connection = try ClusterLocator(kubeconfig: kubeconfig, environment: [:]).connect()
            let reader = KubeReader(connection: connection)
            let writer = KubeWriter(connection: connection)
            let before = try await reader.get(Deployment.self, name: "gateway", namespace: "production")
            let patch = Data(#"{"metadata":{"labels":{"medic.io/touched":"yes"}}}"#.utf8)

            let dryRun = try await writer.patch(
                Deployment.self, name: "gateway", namespace: "production", patch: patch, as: .merge, options: .init(dryRun: true))
            #expect(dryRun.metadata.labels["medic.io/touched"] == "yes")
            let unchanged = try await reader.get(Deployment.self, name: "gateway", namespace: "production")
            #expect(unchanged.metadata.labels["medic.io/touched"] == nil)

            let list = try await reader.list(Deployment.self, namespace: "production")
            var events = reader.watch(Deployment.self, namespace: "production", resourceVersion: list.resourceVersion, timeoutSeconds: 20)
                .makeAsyncIterator()
            let patched = try await writer.patch(Deployment.self, name: "gateway", namespace: "production", patch: patch, as: .strategicMerge)
            #expect(patched.metadata.labels["medic.io/touched"] == "yes")
            #expect(patched.metadata.resourceVersion != before.metadata.resourceVersion)
            var sawPatch = false
            while let event = try await events.next() {
                if case .modified(let deployment) = event, deployment.metadata.name == "gateway",
                   deployment.metadata.labels["medic.io/touched"] == "yes" {
                    sawPatch = true
                    break
                }
            }
            #expect(sawPatch)

            do {
                _ = try await writer.create(before)
                Issue.record("expected AlreadyExists")
            } catch let error as KubeAPIError {
                #expect(error.code == .alreadyExists)
            }
            let missing = await #expect(throws: KubeAPIError.self) {
                _ = try await reader.get(Deployment.self, name: "nope", namespace: "production")
            }
            #expect(missing?.code == .notFound)
        }
    }
}
