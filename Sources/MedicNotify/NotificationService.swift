import ServiceLifecycle

/// The notifier as a service of `medic run`'s group: it delivers while medic runs, and on
/// shutdown gets `drainTimeout` to send what the last passes queued (an escalation posted
/// just before a SIGTERM still reaches the on-call channel), then stops.
public struct NotificationService: Service {
    public let notifier: Notifier
    private let drainTimeout: Duration

    public init(notifier: Notifier, drainTimeout: Duration = .seconds(10)) {
        self.notifier = notifier
        self.drainTimeout = drainTimeout
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await notifier.run() }
            try? await gracefulShutdown()
            await Self.finish(notifier, in: &group, within: drainTimeout)
        }
    }

    /// Delivers what is queued, for at most `timeout`: `medic run --once` after its one pass.
    public static func deliverQueued(_ notifier: Notifier, within timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await notifier.run() }
            await finish(notifier, in: &group, within: timeout)
        }
    }

    private static func finish(_ notifier: Notifier, in group: inout TaskGroup<Void>, within timeout: Duration) async {
        await notifier.finish()
        group.addTask { try? await Task.sleep(for: timeout) }
        await group.next()
        group.cancelAll()
    }
}
