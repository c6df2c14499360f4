import Foundation
import KubeSim
import Testing
@testable import MedicKube

/// The watched cache of `medic run` against KubeSim in this process, so a test can arm
/// faults, stop the server and change objects behind medic's back.
@Suite("cluster informer", .serialized, .timeLimit(.minutes(2)))
struct ClusterInformerTests {
    static let manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              containers: [{name: api, image: shop/api:1}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          selector: {app: api}
          ports: [{port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: public, namespace: shop}
        spec:
          defaultBackend: {service: {name: api, port: {number: 80}}}
        """

    /// KubeSim serving `manifests`, an informer on it (watches closed by the server every
    /// `timeoutSeconds`), running until `body` returns.
    struct Fixture {
        let sim: KubeSim
        var server: RunningKubeSim
        let informer: ClusterInformer
        let lists: ClusterSnapshotReader
        let kubeconfig: String

        /// Polls `condition` every 20 ms for up to 10 s.
        func eventually(_ what: String, _ condition: () async -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while !(await condition()) {
                guard ContinuousClock.now < deadline else { throw Timeout(description: "timed out waiting until \(what)") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        func state(_ resource: String) async -> ClusterInformer.KindState? { await informer.states[resource] }

        /// Fails the Deployments watch with a 500, checks that a read fails meanwhile, and
        /// waits for the relist.
        func failDeploymentsUntilRelisted() async throws {
            sim.injectFault(.status(500), method: "GET", path: "/apis/apps/v1/deployments")
            try await eventually("the deployments watch has failed") {
                if case .failed = await state("deployments.apps") { return true }
                return false
            }
            await #expect(throws: KubeAPIError.self) { try await informer.read() }
            try await eventually("deployments are relisted") {
                if case .synced = await state("deployments.apps") { return true }
                return false
            }
        }

        func pod(_ name: String) throws -> JSON {
            try JSON(parsing: Data(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"shop","labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"shop/api:1"}]}}"#.utf8))
        }
    }

    struct Timeout: Error, CustomStringConvertible { var description: String }

    /// A bare pod `flaky` that restarted three times after failing at `failed`; `looping`: now
    /// waiting out its back-off, else running again.
    static func flaky(looping: Bool, failed: String) throws -> JSON {
        let state = looping ? #"{"waiting":{"reason":"CrashLoopBackOff"}}"# : #"{"running":{"startedAt":"\#(failed)"}}"#
        return try JSON(parsing: Data(#"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"flaky","namespace":"shop","labels":{"app":"flaky"}},
             "spec":{"containers":[{"name":"flaky","image":"shop/flaky:1"}]},
             "status":{"phase":"Running","containerStatuses":[{"name":"flaky","ready":false,"restartCount":3,"image":"shop/flaky:1",
               "imageID":"","state":\#(state),"lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"\#(failed)"}}}]}}
            """#.utf8))
    }

    static func with(timeoutSeconds: Int = 300, _ body: (inout Fixture) async throws -> Void) async throws {
        let sim = KubeSim()
        try sim.load(manifests: manifests)
        let server = try await sim.start(ServerOptions(bookmarkInterval: .milliseconds(200)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("medic-informer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        let connection = try ClusterLocator(kubeconfig: kubeconfig, environment: [:]).connect()
        let lists = ClusterSnapshotReader(reader: KubeReader(connection: connection))
        let informer = ClusterInformer(lists: lists, timeoutSeconds: timeoutSeconds, syncTimeout: .seconds(10))
        let running = Task { await informer.run() }
        var fixture = Fixture(sim: sim, server: server, informer: informer, lists: lists, kubeconfig: kubeconfig)
        var failure: (any Error)?
        do {
            try await body(&fixture)
        } catch {
            failure = error
        }
        running.cancel()
        await running.value
        // A watch being resumed as the informer stops must not reach a server that is stopping:
        // NIO traps on a connection accepted but not yet served at shutdown.
        try? await Task.sleep(for: .milliseconds(300))
        await fixture.server.stop()
        if let failure { throw failure }
    }

    static func names(_ reading: ClusterSnapshotReader.Reading) -> [String] {
        reading.snapshot.pods.map(\.metadata.name)
    }

    @Test("the first read is what a round of LISTs gives; a change arrives by the watch, signals, and lists nothing")
    func listOnceThenWatch() async throws {
        try await Self.with { fixture in
            let cached = try await fixture.informer.read()
            let listed = try await fixture.lists.read()
            #expect(Self.names(cached) == Self.names(listed))
            #expect(cached.snapshot.pods.count == 2)
            #expect(cached.snapshot.deployments.map(\.metadata.name) == ["api"])
            #expect(cached.snapshot.services.map(\.metadata.name) == listed.snapshot.services.map(\.metadata.name))
            #expect(cached.snapshot.namespaces.map(\.metadata.name) == listed.snapshot.namespaces.map(\.metadata.name))
            #expect(await fixture.informer.listCount == 12, "one list per kind")
            #expect(cached.snapshot.ingresses.map(\.serviceNames) == [["api"]])
            // No Gateway API CRDs: HTTPRoutes are not served (404), which means none, not a failed read.
            if case .failed(let error) = await fixture.state("httproutes.gateway.networking.k8s.io") {
                #expect(error.code == .notFound)
            } else {
                Issue.record("the HTTPRoute watch should have failed with 404")
            }
            #expect(cached.snapshot.httpRoutes.isEmpty && cached.warnings.isEmpty)

            await fixture.informer.changes.wait()  // the first lists' signal
            _ = try fixture.sim.put(try fixture.pod("debug"))
            await fixture.informer.changes.wait()
            try await fixture.eventually("the new pod is cached") { (try? await fixture.informer.read()).map(Self.names)?.contains("debug") == true }
            try fixture.sim.delete(.pod, namespace: "shop", name: "debug")
            try await fixture.eventually("the deleted pod is gone") { (try? await fixture.informer.read()).map(Self.names)?.contains("debug") == false }
            // Bookmarks every 200 ms meanwhile: none of them lists again.
            try await Task.sleep(for: .milliseconds(500))
            #expect(await fixture.informer.listCount == 12)
        }
    }

    @Test("a watch the server closes resumes from its resourceVersion without a list; a 410 relists that kind only")
    func resumeAndRelist() async throws {
        try await Self.with(timeoutSeconds: 1) { fixture in
            _ = try await fixture.informer.read()
            // Watches end every second and are resumed; a change made meanwhile still arrives.
            try await Task.sleep(for: .milliseconds(2500))
            _ = try fixture.sim.put(try fixture.pod("late"))
            try await fixture.eventually("the pod made between watches is cached") {
                (try? await fixture.informer.read()).map(Self.names)?.contains("late") == true
            }
            #expect(await fixture.informer.listCount == 12, "resumed, not relisted")

            fixture.sim.injectFault(.status(410), method: "GET", path: "/api/v1/pods")
            try await fixture.eventually("pods are relisted") { await fixture.informer.listCount == 13 }
            #expect(Self.names(try await fixture.informer.read()).contains("late"))
        }
    }

    @Test("a failed watch makes every read fail until its kind is relisted: medic never diagnoses a cache it knows is stale")
    func failedWatchFailsReads() async throws {
        try await Self.with(timeoutSeconds: 1) { fixture in
            _ = try await fixture.informer.read()
            try await fixture.failDeploymentsUntilRelisted()
            #expect(try await fixture.informer.read().snapshot.deployments.count == 1)
            #expect(await fixture.informer.listCount == 13)
        }
    }

    @Test("a connection cut mid-stream fails every watch: reads fail until the relists, which bring what changed meanwhile")
    func droppedConnection() async throws {
        try await Self.with { fixture in
            _ = try await fixture.informer.read()
            #expect(await fixture.informer.listCount == 12)
            _ = try fixture.sim.put(try fixture.pod("meanwhile"))
            fixture.sim.dropWatches()
            try await fixture.eventually("the pods watch has failed") {
                if case .failed = await fixture.state("pods") { return true }
                return false
            }
            await #expect(throws: KubeAPIError.self) { try await fixture.informer.read() }
            try await fixture.eventually("the cache is read again, with the pod") {
                (try? await fixture.informer.read()).map(Self.names)?.contains("meanwhile") == true
            }
            #expect(await fixture.informer.listCount >= 13)
        }
    }

    @Test("a read asks for the crash log of a pod the watch shows crash-looping, and no longer once it is not (or is gone)")
    func crashLogsFollowTheWatch() async throws {
        try await Self.with { fixture in
            func asked(_ reading: ClusterSnapshotReader.Reading) -> Bool {
                reading.warnings.contains { $0.contains("\"flaky\"") } || reading.snapshot.podLogs.contains { $0.metadata.name == "flaky" }
            }
            #expect(try await !asked(fixture.informer.read()))
            let now = RFC3339.format(Date())
            _ = try fixture.sim.put(Self.flaky(looping: true, failed: now))
            try await fixture.eventually("the crash loop is read") { (try? await fixture.informer.read()).map(asked) ?? false }
            // Running again, its last failure long past: the read that sees it stops asking, and
            // so do the reads after it, with nothing changed.
            _ = try fixture.sim.put(Self.flaky(looping: false, failed: "2024-01-01T00:00:00Z"))
            try await fixture.eventually("the recovery is read") {
                (try? await fixture.informer.read()).map { $0.snapshot.pods.contains { $0.metadata.name == "flaky" && $0.status.containerStatuses.first?.state.running != nil } } ?? false
            }
            #expect(try await !asked(fixture.informer.read()))
            // Crashing again, then deleted.
            _ = try fixture.sim.put(Self.flaky(looping: false, failed: now))
            try await fixture.eventually("the new crash is read") { (try? await fixture.informer.read()).map(asked) ?? false }
            #expect(try await asked(fixture.informer.read()), "still in its crash window, unchanged")
            try fixture.sim.delete(.pod, namespace: "shop", name: "flaky")
            try await fixture.eventually("the deletion is read") {
                (try? await fixture.informer.read()).map { !$0.snapshot.pods.contains { $0.metadata.name == "flaky" } } ?? false
            }
            #expect(try await !asked(fixture.informer.read()))
        }
    }

    @Test("a kind's cache lists its objects in a LIST's order through any adds, changes and deletes")
    func storeKeepsListOrder() {
        var store = ClusterInformer.Store<Namespace>()
        var expected: [String: Namespace] = [:]
        var generator = SystemRandomNumberGenerator()
        func namespace(_ number: Int, _ version: Int) -> Namespace {
            Namespace(metadata: ObjectMeta(name: "ns-\(number)", resourceVersion: "\(version)"))
        }
        store.replace(with: (0..<20).map { namespace($0 * 3, 0) })
        for number in 0..<20 { expected["ns-\(number * 3)"] = namespace(number * 3, 0) }
        for step in 1...400 {
            let number = Int.random(in: 0..<60, using: &generator)
            if Bool.random(using: &generator) {
                let replaced = store.put(namespace(number, step))
                #expect(replaced == expected[namespace(number, step).metadata.name])
                expected[namespace(number, step).metadata.name] = namespace(number, step)
            } else {
                store.remove(namespace(number, step))
                expected[namespace(number, step).metadata.name] = nil
            }
            if step % 7 == 0 {
                #expect(store.items() == expected.keys.sorted().map { expected[$0]! })
                #expect(store.items() == store.items(), "kept until the kind changes")
            }
        }
    }

    @Test("a read hands over what changed since the last one, each object once; after a failed watch the relist is everything")
    func changesSinceTheLastRead() async throws {
        try await Self.with(timeoutSeconds: 1) { fixture in
            #expect(try await fixture.informer.read().changes?.everything == true, "the first lists")
            let debug = ObjectRef(kind: "Pod", namespace: "shop", name: "debug")
            _ = try fixture.sim.put(try fixture.pod("debug"))
            var changes = ClusterChanges()
            try await fixture.eventually("the new pod is handed over") {
                if let reading = try? await fixture.informer.read() { changes.merge(reading.changes ?? ClusterChanges()) }
                return changes.objects.contains(debug)
            }
            // The pod was added, scheduled and started: several events, one entry. It never
            // crashed, but it is a bare pod, a new workload: its namespace is looked at again.
            #expect(!changes.everything && changes.namespaces == ["shop"])
            #expect(changes.objects.filter { $0.kind == "Pod" } == [debug])

            try await fixture.failDeploymentsUntilRelisted()
            #expect(try await fixture.informer.read().changes?.everything == true, "what changed meanwhile is unknown")
        }
    }

    @Test("a kind's edits keep each object as the last read had it and as it is now; one that came and went is none")
    func storeEdits() {
        var store = ClusterInformer.Store<Pod>()
        func pod(_ name: String, _ version: Int) -> Pod {
            Pod(metadata: ObjectMeta(name: name, namespace: "shop", resourceVersion: "\(version)"), spec: PodSpec())
        }
        func ref(_ name: String) -> ObjectRef { pod(name, 0).ref }
        store.replace(with: [pod("a", 1), pod("b", 1)])
        #expect(store.takeEdits().isEmpty, "a list is no edit: the read after it is incomplete")
        _ = store.put(pod("a", 2))
        _ = store.put(pod("a", 3))
        store.remove(pod("b", 2))
        _ = store.put(pod("c", 1))
        store.remove(pod("c", 2))
        _ = store.put(pod("d", 1))
        let edits = store.takeEdits()
        #expect(Set(edits.keys) == [ref("a"), ref("b"), ref("d")])
        #expect(edits[ref("a")]?.old?.metadata.resourceVersion == "1" && edits[ref("a")]?.new?.metadata.resourceVersion == "3")
        #expect(edits[ref("b")]?.old?.metadata.resourceVersion == "1" && edits[ref("b")]?.new == nil)
        #expect(edits[ref("d")]?.old == nil && edits[ref("d")]?.new?.metadata.resourceVersion == "1")
        #expect(store.takeEdits().isEmpty, "taken: the next read starts from here")

        // A kind the edits do not follow keeps none: nothing piles up that no read takes.
        var configMaps = ClusterInformer.Store<ConfigMap>()
        _ = configMaps.put(ConfigMap(metadata: ObjectMeta(name: "flags", namespace: "shop")))
        #expect(configMaps.takeEdits().isEmpty && !ClusterEdits.follows(ConfigMap.self) && ClusterEdits.follows(Service.self))
    }

    @Test("reads hand over numbered edits: a pod and a Service as they were and are; a ConfigMap or a relist makes them incomplete")
    func editsSinceTheLastRead() async throws {
        try await Self.with(timeoutSeconds: 1) { fixture in
            let first = try #require(try await fixture.informer.read().edits)
            #expect(first.incomplete, "the first lists")
            var last = first.read
            let debug = ObjectRef(kind: "Pod", namespace: "shop", name: "debug")
            /// Reads until `until` holds for an edit of the pod, checking every read follows the last.
            func readPod(_ what: String, until: @escaping (ClusterEdits.Edit<Pod>) -> Bool) async throws {
                try await fixture.eventually(what) {
                    guard let edits = try? await fixture.informer.read().edits else { return false }
                    #expect(edits.since == last && edits.read == last + 1)
                    last = edits.read
                    return edits.pods[debug].map(until) ?? false
                }
            }
            _ = try fixture.sim.put(try fixture.pod("debug"))
            try await readPod("the new pod is an edit from nothing") { $0.old == nil && $0.new != nil }
            try fixture.sim.delete(.pod, namespace: "shop", name: "debug")
            try await readPod("the deleted pod is an edit to nothing") { $0.old != nil && $0.new == nil }

            var service = try #require(fixture.sim.get(.service, namespace: "shop", name: "api"))
            service[path: ["metadata", "labels", "touched"]] = "yes"
            _ = try fixture.sim.put(service)
            try await fixture.eventually("a Service change is an edit of it") {
                guard let edits = try? await fixture.informer.read().edits else { return false }
                return !edits.incomplete
                    && edits.services[ObjectRef(kind: "Service", namespace: "shop", name: "api")]?.new?.metadata.labels["touched"] == "yes"
            }
            _ = try fixture.sim.put(try JSON(parsing: Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"flags","namespace":"shop"},"data":{"a":"1"}}"#.utf8)))
            try await fixture.eventually("a ConfigMap change leaves the edits incomplete") {
                (try? await fixture.informer.read().edits?.incomplete) == true
            }
            #expect(try await fixture.informer.read().edits?.incomplete == false, "the next read is whole again")
            try await fixture.failDeploymentsUntilRelisted()
            #expect(try await fixture.informer.read().edits?.incomplete == true, "what changed meanwhile is unknown")
        }
    }
}
