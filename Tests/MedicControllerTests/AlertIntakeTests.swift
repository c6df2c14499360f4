import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import MedicController
import MedicKube
import ServiceLifecycleTestKit
import Testing

/// Alertmanager's webhook (payload version 4) on the run's listener.
@Suite(.timeLimit(.minutes(1)))
struct AlertIntakeTests {
    static func payload(status: String = "firing", fingerprint: String = "a1b2", alertname: String = "KubePodCrashLooping",
                        version: String = "4") -> String {
        """
        {"version": "\(version)", "groupKey": "{}:{alertname=\\"\(alertname)\\"}", "truncatedAlerts": 0,
         "status": "\(status)", "receiver": "medic", "groupLabels": {"alertname": "\(alertname)"},
         "commonLabels": {}, "commonAnnotations": {}, "externalURL": "http://127.0.0.1:9093",
         "alerts": [{"status": "\(status)", "labels": {"alertname": "\(alertname)", "namespace": "shop",
                     "pod": "api-5d9f-x2x9q", "container": "api", "severity": "warning"},
                     "annotations": {"summary": "Pod is crash looping."}, "startsAt": "2026-11-20T02:45:00Z",
                     "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://127.0.0.1:9090/graph", "fingerprint": "\(fingerprint)"}]}
        """
    }

    @Test func aVersion4PayloadNamesTheObject() throws {
        let payload = try AlertmanagerPayload.decode(Data(Self.payload().utf8))
        #expect(payload.receiver == "medic")
        #expect(payload.alerts.map(\.name) == ["KubePodCrashLooping"])
        #expect(payload.alerts.first?.object == ObjectRef(kind: "Pod", namespace: "shop", name: "api-5d9f-x2x9q"))
        #expect(payload.alerts.first?.startsAt == RFC3339.parse("2026-11-20T02:45:00Z"))
    }

    @Test func badPayloadsSayWhatIsWrong() {
        func reason(_ body: String) -> String? {
            do { _ = try AlertmanagerPayload.decode(Data(body.utf8)); return nil } catch { return error.description }
        }
        #expect(reason("[]") == "the body is not a JSON object")
        #expect(reason(Self.payload(version: "3")) == "version: \"3\" is not supported, only \"4\"")
        #expect(reason(#"{"version": "4"}"#) == "alerts: required, a list")
        #expect(reason(#"{"version": "4", "alerts": [{"status": "pending", "labels": {"alertname": "X"}}]}"#)
            == "alerts[0].status: required, firing or resolved")
        #expect(reason(#"{"version": "4", "alerts": [{"status": "firing", "labels": {"severity": "x"}}]}"#)
            == "alerts[0].labels: required, string values with an alertname")
    }

    @Test func repeatsAreFoldedAndResolvedAlertsClose() async throws {
        let intake = AlertIntake()
        let firing = try AlertmanagerPayload.decode(Data(Self.payload().utf8))
        #expect(await intake.receive(firing) == .init(new: 1))
        #expect(await intake.receive(firing) == .init(repeated: 1))
        #expect(await intake.firing.count == 1)
        #expect(await intake.receive(try AlertmanagerPayload.decode(Data(Self.payload(status: "resolved").utf8)))
            == .init(resolved: 1))
        #expect(await intake.firing.isEmpty)
        // The new alert and the resolve left one folded wake-up for the controller: the first
        // wait returns at once, the next waits for a new notification.
        await intake.nextWake()
        let waiting = Task { await intake.nextWake() }
        _ = await intake.receive(firing)
        await waiting.value
    }

    static func post(_ port: Int, _ body: String, token: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/alerts")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return (try #require(response as? HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test func theWebhookAcceptsRefusesAndAuthenticates() async throws {
        let intake = AlertIntake()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = MetricsServer(
            host: "127.0.0.1", port: 0, metrics: ControllerMetrics(), health: HealthState(),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, alerts: intake, alertToken: "s3cret",
            onListening: { continuation.yield($0) })
        try await testGracefulShutdown { trigger in
            let run = Task { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            #expect(try await Self.post(port, Self.payload()).status == 401)
            let accepted = try await Self.post(port, Self.payload(), token: "s3cret")
            #expect(accepted.status == 200)
            #expect(accepted.body == "{\"new\":1,\"repeated\":0,\"resolved\":0}\n")
            let refused = try await Self.post(port, #"{"version": "4"}"#, token: "s3cret")
            #expect(refused.status == 400)
            #expect(refused.body == "not an Alertmanager webhook payload: alerts: required, a list\n")
            let huge = String(repeating: " ", count: MetricsServer.alertBodyLimit + 1)
            #expect(try await Self.post(port, huge, token: "s3cret").status == 413)
            trigger.triggerGracefulShutdown()
            try await run.value
        }
        #expect(await intake.firing.count == 1)
    }
}
