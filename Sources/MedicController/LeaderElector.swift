import Foundation
import Logging
import MedicKube
import ServiceLifecycle

/// Makes sure that of several `medic run` replicas exactly one acts: the one holding a
/// `coordination.k8s.io/v1` Lease. client-go's algorithm (`tools/leaderelection`): acquire
/// or renew every `retryPeriod`, optimistic concurrency through `resourceVersion`, validity
/// measured on the local clock from when the record was last seen to change (so clock skew
/// between replicas does not matter), step down when renewing fails for `renewDeadline`,
/// and give the lease up on graceful shutdown.
public actor LeaderElector: ServiceLifecycle.Service {
    public nonisolated let configuration: LeaderElectionConfiguration
    private let reader: KubeReader
    private let writer: KubeWriter
    private let logger: Logger
    private let onChange: @Sendable (_ isLeader: Bool) async -> Void

    /// True while this replica holds the lease and renews it in time.
    public private(set) var isLeader = false
    /// The holder the last read showed, for the log line when it changes.
    public private(set) var observedHolder: String?
    private var observed: Lease?
    private var observedTime: ContinuousClock.Instant?
    private var lastRenewal: ContinuousClock.Instant?

    /// `onChange` is called on every change of leadership, before work depends on it: the
    /// controller's readiness and the `medic_leader` gauge hang off it.
    public init(
        configuration: LeaderElectionConfiguration, connection: ClusterConnection, logger: Logger,
        onChange: @escaping @Sendable (_ isLeader: Bool) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        // client-go bounds each attempt by the renew deadline: a hung request must not keep
        // a replica believing it leads.
        self.reader = KubeReader(connection: connection, timeout: configuration.renewDeadline)
        self.writer = KubeWriter(connection: connection, timeout: configuration.renewDeadline)
        self.logger = logger
        self.onChange = onChange
    }

    public func run() async throws {
        logger.info("leader election started", metadata: [
            "lease": "\(configuration.namespace)/\(configuration.leaseName)", "identity": "\(configuration.identity)",
        ])
        await cancelWhenGracefulShutdown { await self.elect() }
        if isLeader, configuration.releaseOnShutdown {
            await release()
        }
        await setLeader(false, reason: "shutting down")
    }

    private func elect() async {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let attempt = await tryAcquireOrRenew()
            let now = clock.now
            switch attempt {
            case .held:
                lastRenewal = now
                await setLeader(true, reason: "acquired the lease")
            case .heldByOther(let holder):
                await setLeader(false, reason: "the lease is held by \(holder)")
            case .failed(let error):
                logger.warning("leader election attempt failed", metadata: ["error": "\(error)"])
                if isLeader, let lastRenewal, now - lastRenewal >= configuration.renewDeadline {
                    await setLeader(false, reason: "could not renew the lease within \(configuration.renewDeadline)")
                }
            }
            let pause = isLeader ? configuration.retryPeriod : configuration.retryPeriod * (1 + Double.random(in: 0..<1.2))
            do {
                try await Task.sleep(for: pause)
            } catch {
                return
            }
        }
    }

    private enum Attempt {
        case held
        case heldByOther(String)
        case failed(KubeAPIError)
    }

    private func tryAcquireOrRenew() async -> Attempt {
        let now = Date()
        let instant = ContinuousClock.now
        // Fast path: renew the lease we hold with the object we last wrote.
        if isLeader, var lease = observed, isValid(lease, at: instant) {
            lease.spec.renewTime = now
            do {
                remember(try await writer.update(lease), at: instant)
                return .held
            } catch {
                // The cached copy may be stale (a renewal whose answer was lost): read it again below.
                logger.warning("renewing the lease with the copy last written failed; reading it again",
                               metadata: ["error": "\(error.description)"])
            }
        }
        let current: Lease
        do {
            current = try await reader.get(Lease.self, name: configuration.leaseName, namespace: configuration.namespace)
        } catch where error.code == .notFound {
            return await create(now: now, at: instant)
        } catch {
            return .failed(error)
        }
        if current.spec != observed?.spec || observedTime == nil {
            observedTime = instant
        }
        observed = current
        let holder = current.spec.holderIdentity ?? ""
        if holder != observedHolder {
            if !holder.isEmpty, holder != configuration.identity {
                logger.info("new leader observed", metadata: ["leader": "\(holder)"])
            }
            observedHolder = holder
        }
        if !holder.isEmpty, holder != configuration.identity, isValid(current, at: instant) {
            return .heldByOther(holder)
        }
        var lease = current
        if holder != configuration.identity {
            lease.spec.acquireTime = now
            lease.spec.leaseTransitions = (current.spec.leaseTransitions ?? 0) + 1
        }
        lease.spec.holderIdentity = configuration.identity
        lease.spec.leaseDurationSeconds = configuration.leaseDurationSeconds
        lease.spec.renewTime = now
        do {
            remember(try await writer.update(lease), at: instant)
            return .held
        } catch {
            return .failed(error)
        }
    }

    private func create(now: Date, at instant: ContinuousClock.Instant) async -> Attempt {
        let lease = Lease(
            metadata: ObjectMeta(name: configuration.leaseName, namespace: configuration.namespace),
            spec: .init(holderIdentity: configuration.identity, leaseDurationSeconds: configuration.leaseDurationSeconds,
                        acquireTime: now, renewTime: now, leaseTransitions: 0))
        do {
            remember(try await writer.create(lease), at: instant)
            return .held
        } catch {
            return .failed(error)
        }
    }

    /// Gives the lease up: no holder, a one-second duration, times now, transitions kept.
    /// Hands the lease back so a follower takes over at once. If the cached copy is stale (a
    /// renewal landed whose answer was lost), the lease is read again and released only if
    /// this replica still holds it.
    private func release() async {
        guard let cached = observed, cached.spec.holderIdentity == configuration.identity else { return }
        var lastError: (any Error)?
        for attempt in 0..<2 {
            var lease = cached
            if attempt > 0 {
                let fresh: Lease
                do {
                    fresh = try await reader.get(Lease.self, name: configuration.leaseName, namespace: configuration.namespace)
                } catch {
                    logger.warning("could not read the lease again to release it; another replica takes over when it expires",
                                   metadata: ["error": "\(error.description)"])
                    return
                }
                guard fresh.spec.holderIdentity == configuration.identity else { return }
                lease = fresh
            }
            let now = Date()
            lease.spec.holderIdentity = ""
            lease.spec.leaseDurationSeconds = 1
            lease.spec.acquireTime = now
            lease.spec.renewTime = now
            do {
                remember(try await writer.update(lease), at: .now)
                logger.info("released the lease", metadata: ["lease": "\(configuration.namespace)/\(configuration.leaseName)"])
                return
            } catch {
                lastError = error
                guard error.code == .conflict else { break }
            }
        }
        logger.warning("could not release the lease; another replica takes over when it expires", metadata: [
            "error": "\(lastError.map { "\($0)" } ?? "unknown")",
        ])
    }

    private func isValid(_ lease: Lease, at instant: ContinuousClock.Instant) -> Bool {
        guard let observedTime else { return false }
        return observedTime + .seconds(lease.spec.leaseDurationSeconds ?? 0) > instant
    }

    private func remember(_ lease: Lease, at instant: ContinuousClock.Instant) {
        observed = lease
        observedTime = instant
        observedHolder = lease.spec.holderIdentity
    }

    private func setLeader(_ leader: Bool, reason: String) async {
        guard leader != isLeader else { return }
        isLeader = leader
        if leader {
            logger.notice("became leader", metadata: ["identity": "\(configuration.identity)", "reason": "\(reason)"])
        } else {
            logger.notice("stopped leading", metadata: ["identity": "\(configuration.identity)", "reason": "\(reason)"])
        }
        await onChange(leader)
    }
}
