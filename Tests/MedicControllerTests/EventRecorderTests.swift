import Foundation
import MedicController
import MedicKube
import Testing

@Suite("Event recorder")
struct EventRecorderTests {
    @Test("an Event carries the fields client-go's recorder sets, with medic as the reporter")
    func shape() throws {
        let writer = KubeWriter(connection: try ClusterConnection.unreachableForTests())
        let recorder = EventRecorder(writer: writer, instance: "medic-7f9c-abcde", clock: { Date(timeIntervalSince1970: 1_773_144_000.75) })
        let event = recorder.event(.rolledBack, message: "did not fix oom-killed", on: ObjectRef(kind: "Deployment", namespace: "shop", name: "api"),
                                   uid: "u-1")
        #expect(event.metadata.name == "api.189b7912fc519800")
        #expect(event.metadata.namespace == "shop")
        #expect(event.involvedObject == ObjectReference(kind: "Deployment", namespace: "shop", name: "api", uid: "u-1", apiVersion: "apps/v1"))
        #expect(event.reason == "MedicRolledBack")
        #expect(event.type == "Warning")
        #expect(event.count == 1)
        #expect(event.firstTimestamp == Date(timeIntervalSince1970: 1_773_144_000))
        #expect(event.lastTimestamp == event.firstTimestamp)
        #expect(event.eventTime == nil)
        #expect(event.source == EventSource(component: "medic", host: "medic-7f9c-abcde"))
        #expect(event.reportingComponent == "medic")
        #expect(event.reportingInstance == "medic-7f9c-abcde")
    }

    @Test("no secret value goes into an Event")
    func redacted() throws {
        let writer = KubeWriter(connection: try ClusterConnection.unreachableForTests())
        let recorder = EventRecorder(writer: writer, instance: "medic-0", clock: { Date(timeIntervalSince1970: 1_773_144_000) })
        let event = recorder.event(.applied, message: "kubectl -n shop set env deployment/api DATABASE_URL=postgres://app:hunter2@db:5432",
                                   on: ObjectRef(kind: "Deployment", namespace: "shop", name: "api"))
        #expect(event.message == "kubectl -n shop set env deployment/api DATABASE_URL=postgres://app:****@db:5432")
    }
}

extension ClusterConnection {
    /// A connection that is never used: the recorder only builds the Event here.
    static func unreachableForTests() throws -> ClusterConnection {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("medic-kubeconfig-\(UUID().uuidString)").path
        try """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
            contexts: [{name: c, context: {cluster: c, user: u}}]
            users: [{name: u, user: {}}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ClusterLocator(kubeconfig: path, environment: [:]).connect()
    }
}
