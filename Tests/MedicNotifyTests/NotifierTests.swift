import Foundation
import Logging
import MedicKube
import MedicNotify
import MedicPolicy
import Synchronization
import Testing

/// The notifier against a local receiver that checks each body against the service's
/// documented format (`scripts/notification-receiver.py`).
@Suite("notifier", .serialized, .timeLimit(.minutes(2)))
struct NotifierTests {
    final class Outcomes: Sendable {
        private let items = Mutex<[Notifier.Outcome]>([])
        func add(_ outcome: Notifier.Outcome) { items.withLock { $0.append(outcome) } }
        func results(_ target: String) -> [String] { items.withLock { $0.filter { $0.target == target }.map(\.result) } }
    }

    static let environment = ["PD_KEY": NoticeFixtures.routingKey, "HOOK_TOKEN": "hook-t0ken-value"]

    static func notifier(_ outcomes: Outcomes, environment: [String: String] = NotifierTests.environment,
                         clock: @escaping @Sendable () -> Date = { NoticeFixtures.time }, queueCapacity: Int = 200) -> Notifier {
        Notifier(logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, backoff: .milliseconds(50),
                 queueCapacity: queueCapacity, environment: environment, clock: clock, onOutcome: outcomes.add)
    }

    @Test("each service gets a body its documented format accepts; no secret value reaches any of them")
    func formatsHold() async throws {
        let receiver = try ReceiverProcess(["--token", "hook-t0ken-value"])
        defer { receiver.stop() }
        let outcomes = Outcomes()
        let notifier = Self.notifier(outcomes)
        let events: [Notice] = [
            NoticeFixtures.notice(.finding), NoticeFixtures.notice(.proposal), NoticeFixtures.notice(.action, result: "applied"),
            NoticeFixtures.notice(.verification, result: "fixed"), NoticeFixtures.notice(.escalation), NoticeFixtures.notice(.resolved),
        ]
        await notifier.post(events, to: NoticeFixtures.targets(receiver))
        await NotificationService.deliverQueued(notifier, within: .seconds(20))

        let received = try await receiver.received()
        for request in received {
            #expect(request.problems.isEmpty, "\(request.path): \(request.problems)")
            #expect((200..<300).contains(request.answered), "\(request.path) answered \(request.answered)")
            #expect(!request.raw.contains(NoticeFixtures.plantedPassword))
            #expect(!request.raw.contains("hook-t0ken-value"))
        }
        #expect(received.filter { $0.path == "/slack" }.count == 6)
        #expect(received.filter { $0.path == "/webhook" }.count == 6)
        #expect(received.filter { $0.path == "/webhook" }.allSatisfy { $0.authorization == "Bearer hook-t0ken-value" })
        // PagerDuty: no proposal; trigger → acknowledge → resolve on one key, the escalation on its own.
        let pager = received.filter { $0.path == "/pagerduty/v2/enqueue" }
        #expect(pager.map { $0.body["event_action"]?.string ?? "" } == ["trigger", "acknowledge", "resolve", "trigger", "resolve"])
        #expect(pager.map { $0.body["dedup_key"]?.string ?? "" } == [
            "medic/i3f29c1b7-1", "medic/i3f29c1b7-1", "medic/i3f29c1b7-1", "medic/i3f29c1b7-1/escalation", "medic/i3f29c1b7-1",
        ])
        #expect(pager.first?.body[path: ["payload", "severity"]]?.string == "critical")
        #expect(outcomes.results("pager") == Array(repeating: "delivered", count: 5))

        // The Slack finding: the answer, then the evidence, the symptoms and the fix, escaped for mrkdwn.
        let slack = try #require(received.first { $0.path == "/slack" })
        #expect(slack.text.contains("Root cause: oom-killed on Deployment production/auth-service"))
        #expect(slack.text.contains("&lt;needs&gt; &amp; more"))
        #expect(slack.text.contains("postgres://auth:****@db:5432/auth"))
        #expect(slack.text.contains("Symptoms it explains"))
        #expect(slack.text.contains("kubectl set resources deployment/auth-service -n production -c auth --limits=memory=256Mi"))
        let proposal = try #require(received.filter { $0.path == "/slack" }.dropFirst().first)
        #expect(proposal.text.contains("To approve") && proposal.text.contains("medic approve 3f29c1b7-1"))
        // The webhook's finding carries the advise contract's fields.
        let hook = try #require(received.first { $0.path == "/webhook" })
        #expect(hook.body["event"]?.string == "finding" && hook.body["incident"]?.string == "i3f29c1b7-1")
    }

    @Test("routes by event, severity and namespace")
    func routing() async throws {
        let receiver = try ReceiverProcess()
        defer { receiver.stop() }
        let outcomes = Outcomes()
        let notifier = Self.notifier(outcomes)
        var pager = NoticeFixtures.targets(receiver)[1]
        pager.severities = [.critical]
        pager.namespaces = NamespaceScope(include: [Glob("prod*")], exclude: [Glob("production-canary")])
        pager.events = [.finding, .resolved]
        await notifier.post([
            NoticeFixtures.notice(.finding, incident: "i-1"),
            NoticeFixtures.notice(.finding, severity: .medium, incident: "i-2"),
            NoticeFixtures.notice(.finding, namespace: "staging", incident: "i-3"),
            NoticeFixtures.notice(.finding, namespace: "production-canary", incident: "i-4"),
            NoticeFixtures.notice(.escalation, incident: "i-5"),
            NoticeFixtures.notice(.resolved, incident: "i-1"),
        ], to: [pager])
        await NotificationService.deliverQueued(notifier, within: .seconds(20))
        let keys = try await receiver.received().map { $0.body["dedup_key"]?.string ?? "" }
        #expect(keys == ["medic/i-1", "medic/i-1"])
    }

    @Test("the rate limit holds back the excess, says so in the next one, and never holds back a resolution")
    func rateLimit() async throws {
        let receiver = try ReceiverProcess()
        defer { receiver.stop() }
        let outcomes = Outcomes()
        let now = Mutex(NoticeFixtures.time)
        let notifier = Self.notifier(outcomes, clock: { now.withLock { $0 } })
        let hook = NoticeFixtures.targets(receiver, rateLimit: RateLimit(max: 2, window: 600))[2]
        await notifier.post((1...5).map { NoticeFixtures.notice(.finding, incident: "i-\($0)") }, to: [hook])
        await notifier.post([NoticeFixtures.notice(.resolved, incident: "i-1")], to: [hook])
        now.withLock { $0 = $0.addingTimeInterval(601) }
        await notifier.post([NoticeFixtures.notice(.finding, incident: "i-6")], to: [hook])
        await NotificationService.deliverQueued(notifier, within: .seconds(20))

        let bodies = try await receiver.received().map(\.body)
        #expect(bodies.map { $0["incident"]?.string ?? "" } == ["i-1", "i-2", "i-1", "i-6"])
        #expect(bodies.map { $0["heldBack"]?.int ?? -1 } == [0, 0, 3, 0])
        #expect(outcomes.results("chatops").filter { $0 == "held-back" }.count == 3)
    }

    @Test("a notice the service has no use for (a proposal to PagerDuty) does not spend its rate limit")
    func discardedNoticesAreNotCounted() async throws {
        let receiver = try ReceiverProcess()
        defer { receiver.stop() }
        let outcomes = Outcomes()
        let notifier = Self.notifier(outcomes)
        let pager = NoticeFixtures.targets(receiver, rateLimit: RateLimit(max: 1, window: 600))[1]
        await notifier.post([NoticeFixtures.notice(.proposal), NoticeFixtures.notice(.finding)], to: [pager])
        await NotificationService.deliverQueued(notifier, within: .seconds(20))
        #expect(try await receiver.received().map { $0.body["event_action"]?.string ?? "" } == ["trigger"])
        #expect(outcomes.results("pager") == ["delivered"])
    }

    @Test("retries a 5xx with back-off and honours a 429's Retry-After; gives up after its retries")
    func retries() async throws {
        let receiver = try ReceiverProcess(["--fail-first", "/slack=2", "--throttle-first", "/webhook=1", "--fail-first", "/pagerduty/v2/enqueue=5"])
        defer { receiver.stop() }
        let outcomes = Outcomes()
        let notifier = Self.notifier(outcomes)
        let started = ContinuousClock.now
        await notifier.post([NoticeFixtures.notice(.finding)], to: NoticeFixtures.targets(receiver, retries: 2))
        await NotificationService.deliverQueued(notifier, within: .seconds(20))
        let received = try await receiver.received()
        #expect(received.filter { $0.path == "/slack" }.map(\.answered) == [500, 500, 200])
        #expect(received.filter { $0.path == "/webhook" }.map(\.answered) == [429, 200])
        #expect(received.filter { $0.path == "/pagerduty/v2/enqueue" }.map(\.answered) == [500, 500, 500])
        #expect(outcomes.results("oncall-slack") == ["delivered"])
        #expect(outcomes.results("chatops") == ["delivered"])
        #expect(outcomes.results("pager") == ["failed"])
        #expect(ContinuousClock.now - started >= .seconds(1), "Retry-After: 1 was honoured")
    }

    @Test("a refusal (4xx) is not retried; a credential that cannot be read sends nothing and says which")
    func refusalsAndMissingSecrets() async throws {
        let receiver = try ReceiverProcess(["--token", "the-right-one"])
        defer { receiver.stop() }
        let outcomes = Outcomes()
        let notifier = Self.notifier(outcomes, environment: ["HOOK_TOKEN": "a-wrong-one"])
        await notifier.post([NoticeFixtures.notice(.finding)], to: NoticeFixtures.targets(receiver))
        await NotificationService.deliverQueued(notifier, within: .seconds(20))
        let received = try await receiver.received()
        #expect(received.filter { $0.path == "/webhook" }.map(\.answered) == [401])
        #expect(outcomes.results("chatops") == ["rejected"])
        #expect(outcomes.results("pager") == ["unsent"])
        #expect(!received.contains { $0.path == "/pagerduty/v2/enqueue" })
        #expect(NoticeFixtures.targets(receiver)[1].unresolvableSecrets(environment: [:]) == ["environment variable PD_KEY is not set or empty"])
    }

    @Test("posting never waits for a receiver: a dead one fills its own queue, which drops the excess")
    func neverBlocks() async throws {
        let outcomes = Outcomes()
        let notifier = Self.notifier(outcomes, queueCapacity: 5)
        let dead = NotificationTarget(name: "dead", service: .slack(url: .literal("http://127.0.0.1:1/slack")),
                                      rateLimit: RateLimit(max: 1000, window: 60), retries: 10)
        let running = Task { await notifier.run() }
        let started = ContinuousClock.now
        await notifier.post((1...50).map { NoticeFixtures.notice(.finding, incident: "i-\($0)") }, to: [dead])
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(outcomes.results("dead").filter { $0 == "dropped" }.count >= 40)
        running.cancel()
        await notifier.finish()
        _ = await running.value
    }
}
