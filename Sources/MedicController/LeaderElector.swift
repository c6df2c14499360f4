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
///
/// Fenced: each attempt ends by the renew deadline, however slow the API server is; a pass
/// runs through `lead(_:)`, which cancels it when leadership is lost; and every write of the
/// pass first asks `confirm(term:)` (through a `LeaseFence`) whether this replica still holds
/// the lease exactly as it last renewed it, within the renew deadline. A leader that was
/// paused (SIGSTOP, a long GC-like stall, a frozen VM) past its lease wakes up to a fence that
/// refuses, so it writes nothing after another replica may have taken over.
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
    /// The lease as this replica last wrote it while holding it: what the fence compares with.
    private var holding: Holding?
    /// Counts acquisitions: a pass begun under one term may not write in a later one.
    private var term = 0
    /// How to cancel the passes running under `lead(_:)`.
    private var passes: [Int: @Sendable () -> Void] = [:]
    private var nextPass = 0

    private struct Holding {
        var resourceVersion: String?
        /// When the attempt that wrote it began: the renew deadline counts from there.
        var renewed: ContinuousClock.Instant
    }

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
            // Woken after the deadline (the process was paused): another replica may hold the
            // lease by now, so stop leading before anything else runs.
            if isLeader, let holding, clock.now >= holding.renewed + configuration.renewDeadline {
                await setLeader(false, reason: "the renew deadline (\(configuration.renewDeadline)) passed since the last renewal")
            }
            let deadline = isLeader ? holding.map { $0.renewed + configuration.renewDeadline } : nil
            let attempt = await attempt(until: deadline ?? clock.now + configuration.renewDeadline)
            switch attempt {
            case .held:
                await setLeader(true, reason: "acquired the lease")
            case .heldByOther(let holder):
                await setLeader(false, reason: "the lease is held by \(holder)")
            case .failed(let error):
                logger.warning("leader election attempt failed", metadata: ["error": "\(error)"])
                await stepDownIfPastDeadline(at: clock.now)
            case .timedOut:
                logger.warning("leader election attempt timed out", metadata: ["renew_deadline": "\(configuration.renewDeadline)"])
                await stepDownIfPastDeadline(at: clock.now)
            }
            let pause = isLeader ? configuration.retryPeriod : configuration.retryPeriod * (1 + Double.random(in: 0..<1.2))
            do {
                try await Task.sleep(for: pause)
            } catch {
                return
            }
        }
    }

    private enum Attempt: Sendable {
        case held
        case heldByOther(String)
        case failed(KubeAPIError)
        /// Still running at the deadline: cancelled, which aborts its request.
        case timedOut
    }

    /// One acquire-or-renew, bounded by `deadline`: a leader's renew deadline, so one slow
    /// attempt (several requests, each with its own timeout) cannot keep it leading past it.
    private func attempt(until deadline: ContinuousClock.Instant) async -> Attempt {
        await withTaskGroup(of: Attempt?.self) { group in
            group.addTask { await self.tryAcquireOrRenew() }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .timedOut
        }
    }

    private func stepDownIfPastDeadline(at now: ContinuousClock.Instant) async {
        guard isLeader, let holding, now - holding.renewed >= configuration.renewDeadline else { return }
        await setLeader(false, reason: "could not renew the lease within \(configuration.renewDeadline)")
    }

    /// Runs `work` (a pass) while this replica leads, in a task that is cancelled as soon as
    /// it stops leading; nil, without running it, when it does not lead. `work` gets the
    /// fence its writes must pass.
    public func lead<T: Sendable>(_ work: @escaping @Sendable (LeaseFence) async -> T) async -> T? {
        guard isLeader, holding != nil else { return nil }
        let fence = LeaseFence(elector: self, term: term)
        let task = Task { await work(fence) }
        let id = nextPass
        nextPass += 1
        passes[id] = { task.cancel() }
        let result = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        passes[id] = nil
        return result
    }

    /// Throws unless this replica still holds the lease as it last renewed it (holder and
    /// resourceVersion), in the leadership `term` the caller began in, before the renew
    /// deadline. Past the deadline it also steps down, which cancels the running pass. Every
    /// refusal is logged: a write that was about to happen did not.
    public func confirm(term: Int) async throws(FenceError) {
        let now = ContinuousClock.now
        let lease = "\(configuration.namespace)/\(configuration.leaseName)"
        var refusal: String?
        if let holder = observed?.spec.holderIdentity, holder != configuration.identity {
            refusal = "the lease \(lease) is held by \(holder.isEmpty ? "no one" : holder), not \(configuration.identity)"
        } else if !isLeader || term != self.term {
            refusal = "\(configuration.identity) stopped leading since this pass began"
        } else if let holding, observed?.metadata.resourceVersion != holding.resourceVersion {
            refusal = "the lease \(lease) changed since \(configuration.identity) renewed it "
                + "(resourceVersion \(observed?.metadata.resourceVersion ?? "none"), renewed as \(holding.resourceVersion ?? "none"))"
        } else if let holding, now - holding.renewed >= configuration.renewDeadline {
            refusal = "\(configuration.identity) last renewed the lease \(lease) \(now - holding.renewed) ago, "
                + "past the renew deadline (\(configuration.renewDeadline)): another replica may lead"
            await setLeader(false, reason: "the renew deadline passed before a write")
        } else if holding == nil {
            refusal = "\(configuration.identity) holds no lease"
        }
        guard let refusal else { return }
        logger.error("write refused by the lease fence", metadata: ["reason": "\(refusal)"])
        throw FenceError(description: refusal)
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

    /// Keeps what this replica just wrote (the attempt began at `instant`).
    private func remember(_ lease: Lease, at instant: ContinuousClock.Instant) {
        observed = lease
        observedTime = instant
        observedHolder = lease.spec.holderIdentity
        holding = lease.spec.holderIdentity == configuration.identity
            ? Holding(resourceVersion: lease.metadata.resourceVersion, renewed: instant) : nil
    }

    private func setLeader(_ leader: Bool, reason: String) async {
        guard leader != isLeader else { return }
        isLeader = leader
        if leader {
            term += 1
        } else {
            holding = nil
            for cancel in passes.values { cancel() }
        }
        if leader {
            logger.notice("became leader", metadata: ["identity": "\(configuration.identity)", "reason": "\(reason)"])
        } else {
            logger.notice("stopped leading", metadata: ["identity": "\(configuration.identity)", "reason": "\(reason)"])
        }
        await onChange(leader)
    }
}
