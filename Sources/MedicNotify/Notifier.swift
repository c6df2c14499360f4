import Foundation
import Logging
import MedicHTTP
import MedicPolicy

/// Sends notifications without ever making a pass wait: `post` routes, rate-limits and queues
/// in memory and returns; one worker per target delivers its queue in order, retrying with
/// back-off, so a slow or dead Slack never delays PagerDuty or the next pass. A queue that is
/// full drops the newest and says so in the log: medic's audit log keeps the full record.
public actor Notifier {
    /// What became of one delivery, for `/metrics`.
    public struct Outcome: Sendable {
        public var target: String
        public var service: String
        /// `delivered`, `rejected`, `failed` (retries used up), `held-back` (rate limit), `dropped` (queue full), `unsent`.
        public var result: String
    }

    private struct Lane {
        var continuation: AsyncStream<NotificationDelivery>.Continuation
        /// When each notification in the current rate-limit window was queued.
        var queued: [Date] = []
        var heldBack = 0
    }

    private let client: HTTPClient
    private let logger: Logger
    private let backoff: Duration
    private let queueCapacity: Int
    private let environment: [String: String]
    private let clock: @Sendable () -> Date
    private let onOutcome: @Sendable (Outcome) -> Void
    private var lanes: [String: Lane] = [:]
    private let workers: AsyncStream<AsyncStream<NotificationDelivery>>
    private let newWorker: AsyncStream<AsyncStream<NotificationDelivery>>.Continuation
    private var finished = false

    /// `backoff`: the wait before the first retry, doubled for each further one.
    public init(client: HTTPClient = HTTPClient(), logger: Logger, backoff: Duration = .seconds(1), queueCapacity: Int = 200,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                clock: @escaping @Sendable () -> Date = { Date() }, onOutcome: @escaping @Sendable (Outcome) -> Void = { _ in }) {
        self.client = client
        self.logger = logger
        self.backoff = backoff
        self.queueCapacity = queueCapacity
        self.environment = environment
        self.clock = clock
        self.onOutcome = onOutcome
        (workers, newWorker) = AsyncStream.makeStream()
    }

    /// Queues each notification for every target whose route takes it. Returns at once.
    public func post(_ notifications: [Notice], to targets: [NotificationTarget]) {
        guard !finished else { return }
        let now = clock()
        for notification in notifications {
            for target in targets where target.routes(notification.event, severity: notification.severity, namespace: notification.target.namespace)
                && NotificationDelivery.takes(notification, target.service) {
                var lane = lanes[target.name] ?? makeLane()
                lane.queued.removeAll { now.timeIntervalSince($0) >= target.rateLimit.window }
                // A resolution only ever ends noise, and a dropped one would leave a page open.
                if lane.queued.count >= target.rateLimit.max, notification.event != .resolved {
                    lane.heldBack += 1
                    lanes[target.name] = lane
                    report(target, "held-back", notification, level: .warning, "notification held back by the rate limit",
                           ["limit": "\(target.rateLimit.max) in \(Int(target.rateLimit.window)) s"])
                    continue
                }
                lane.queued.append(now)
                let delivery = NotificationDelivery(notification: notification, target: target, heldBack: lane.heldBack)
                lane.heldBack = 0
                if case .dropped = lane.continuation.yield(delivery) {
                    report(target, "dropped", notification, level: .error, "notification dropped: its target's queue is full",
                           ["queued": "\(queueCapacity)"])
                }
                lanes[target.name] = lane
            }
        }
    }

    /// No more posts: the workers deliver what is queued, then `run` returns.
    public func finish() {
        finished = true
        for lane in lanes.values { lane.continuation.finish() }
        newWorker.finish()
    }

    /// Runs the workers until `finish` and their queues are empty (or the task is cancelled).
    public nonisolated func run() async {
        await withDiscardingTaskGroup { group in
            for await queue in workers {
                group.addTask {
                    for await delivery in queue {
                        guard !Task.isCancelled else { break }
                        await self.deliver(delivery)
                    }
                }
            }
        }
    }

    private func makeLane() -> Lane {
        let (stream, continuation) = AsyncStream.makeStream(of: NotificationDelivery.self, bufferingPolicy: .bufferingOldest(queueCapacity))
        newWorker.yield(stream)
        return Lane(continuation: continuation)
    }

    private nonisolated func deliver(_ delivery: NotificationDelivery) async {
        let target = delivery.target, notification = delivery.notification
        let request: HTTPRequest?
        do {
            request = try delivery.request(environment: environment)
        } catch {
            await report(target, "unsent", notification, level: .error, "notification not sent", ["reason": "\(error.description)"])
            return
        }
        guard let request else { return }
        var attempt = 0
        while true {
            let answer: NotificationDelivery.Answer
            do {
                answer = NotificationDelivery.answer(try await client.send(request))
            } catch {
                answer = .retryable(error.description, after: nil)
            }
            switch answer {
            case .delivered(let status):
                await report(target, "delivered", notification, level: .info, "notification delivered", ["status": "\(status)"])
                return
            case .rejected(let reason):
                await report(target, "rejected", notification, level: .error, "notification rejected by the receiver", ["reason": "\(reason)"])
                return
            case .retryable(let reason, let after):
                attempt += 1
                guard attempt <= target.retries else {
                    await report(target, "failed", notification, level: .error, "notification not delivered",
                                 ["reason": "\(reason)", "attempts": "\(attempt)"])
                    return
                }
                let wait = after ?? min(backoff * (1 << (attempt - 1)), .seconds(60))
                logger.warning("notification attempt failed, retrying", metadata: metadata(target, notification, [
                    "reason": "\(reason)", "attempt": "\(attempt)", "retry_in": "\(wait)",
                ]))
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    await report(target, "unsent", notification, level: .error, "notification not sent",
                                 ["reason": "medic stopped before it could be delivered"])
                    return
                }
            }
        }
    }

    private func report(_ target: NotificationTarget, _ result: String, _ notification: Notice, level: Logger.Level,
                        _ message: Logger.Message, _ extra: Logger.Metadata = [:]) {
        logger.log(level: level, message, metadata: metadata(target, notification, extra))
        onOutcome(Outcome(target: target.name, service: target.service.name, result: result))
    }

    private nonisolated func metadata(_ target: NotificationTarget, _ notification: Notice, _ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "target": "\(target.name)", "service": "\(target.service.name)", "event": "\(notification.event.rawValue)",
            "incident": "\(notification.incident)",
        ]
        metadata.merge(extra) { _, new in new }
        return metadata
    }
}
