import Foundation
import Hummingbird
import Logging
import MedicAudit
import MedicController
import MedicProm
import MedicRunbook
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// Issue 15, item 9: a Prometheus that comes and goes (503s, answers that are not JSON,
/// answers that never come, no series) while a metric runbook would act. medic decides
/// nothing from what it could not read, sends its fix once, neither verifies nor rolls it back
/// on missing data, and loses no record.
@Suite("Prometheus flapping", .timeLimit(.minutes(2)))
struct PrometheusFlappingTests {
    enum Answer: Sendable, Equatable {
        case value(Double)
        case status(Int)
        case notJSON
        case noSeries
        case hang
    }

    /// What the stand-in answers next, set by the test between passes.
    final class Script: Sendable {
        private let current = Mutex(Answer.status(503))
        var answer: Answer {
            get { current.withLock { $0 } }
            set { current.withLock { $0 = newValue } }
        }
    }

    /// A stand-in Prometheus on 127.0.0.1 answering every instant query as `script` says.
    struct FakePrometheus {
        let script = Script()
        let port: Int
        let task: Task<Void, any Error>
        let group: ServiceGroup

        var baseURL: String { "http://127.0.0.1:\(port)" }

        init() async throws {
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let script = script
            let router = Router()
            router.get("/api/v1/query") { request, _ -> Response in
                switch script.answer {
                case .value(let value):
                    // Sampled at the instant asked for, as Prometheus answers.
                    let time = request.uri.queryParameters["time"].map(String.init) ?? "0"
                    return Self.json(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"namespace":"shop","deployment":"api"},"value":[\#(time),"\#(value)"]}]}}"#)
                case .noSeries:
                    return Self.json(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
                case .notJSON:
                    return Self.json("<html>502 Bad Gateway</html>")
                case .status(let code):
                    return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "unavailable")))
                case .hang:
                    try await Task.sleep(for: .seconds(3))
                    return Self.json(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
                }
            }
            var logger = Logger(label: "fake-prometheus")
            logger.logLevel = .critical
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { channel in
                                      continuation.yield(channel.localAddress?.port ?? 0)
                                      continuation.finish()
                                  }, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            self.group = group
            task = Task { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            port = await iterator.next() ?? 0
        }

        static func json(_ text: String) -> Response {
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }

        func stop() async {
            await group.triggerGracefulShutdown()
            _ = await task.result
        }
    }

    /// Memory near its limit, measured by Prometheus only: the fix is more memory.
    static let runbook = """
        apiVersion: medic.io/v1
        kind: Runbook
        metadata:
          name: memory-pressure
          severity: high
          title: memory near its limit
        target: workload
        detect:
          - id: near-limit
            promql: memory_working_set_ratio
            above: 0.9
        summary: "{{ workload.name }} uses most of its memory limit"
        remediate:
          - actions:
              - action: set-resources
                limits: {memory: 256Mi}
        """

    @Test("an outage of every kind in turn: nothing decided from it, the fix sent once, verified only on an answer, every record kept")
    func flapping() async throws {
        let prometheus = try await FakePrometheus()
        let harness = try await ReconcilerHarness.start(memoryNeeded: 100)
        defer { Task { await harness.stop(); await prometheus.stop() } }
        let runbook = try RunbookLoader.parse(Self.runbook, file: "memory-pressure.yaml")
        var configuration = harness.with(runbooks: [runbook]).reconciler(policy: try ReconcilerHarness.policy(setResources: "allowed")).configuration
        configuration.prometheus = PrometheusClient(baseURL: prometheus.baseURL, timeout: .seconds(1))
        let reconciler = Reconciler(configuration: configuration)

        let outages: [Answer] = [.status(503), .notJSON, .hang, .noSeries, .status(500)]
        func pass(_ answer: Answer) async -> PassReport {
            prometheus.script.answer = answer
            let report = await reconciler.pass()
            harness.clock.advance(by: 30)
            return report
        }
        // Before any answer: every kind of outage leaves the runbook undecided, and nothing is sent.
        for outage in outages {
            let report = await pass(outage)
            #expect(report.decisions.isEmpty && report.executions.isEmpty, "\(outage): decided on missing data")
            #expect(report.unknown.contains { $0.runbook == "memory-pressure" }, "\(outage): not reported as undecided")
            #expect(outage == .noSeries || report.errors.contains { $0.stage == .prometheus }, "\(outage): the outage is not reported")
            #expect(harness.memoryLimit == "128Mi")
        }
        // An answer: the fix goes out, once.
        #expect(await pass(.value(0.97)).executions.map(\.result) == [.applied])
        #expect(harness.memoryLimit == "256Mi")
        // Flapping within the window: neither verified nor failed, not sent again, not rolled back.
        for answer in outages + [.value(0.95)] {
            let report = await pass(answer)
            #expect(report.executions.isEmpty && report.rollbacks.isEmpty, "\(answer): acted again")
            #expect(report.verifications.map(\.state) == [.pending], "\(answer): \(report.verifications)")
        }
        // The next answer says it is fixed.
        #expect(await pass(.value(0.5)).verifications.map(\.state) == [.passed])

        let records = try harness.records()
        #expect(records.filter { $0.type == .intent }.count == 1)
        #expect(records.filter { $0.type == .outcome }.count == 1)
        #expect(!records.contains { $0.type == .rollback })
        try harness.expectIntact()
    }
}
