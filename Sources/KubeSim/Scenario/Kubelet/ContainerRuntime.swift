import Foundation
import MedicKube

/// One container of a pod as the kubelet runs it: a state machine over simulated time.
///
/// `advance` replays every transition due up to `now` at the moment it happens (a pull at
/// 12.0 s, a probe at 40.0 s, an OOM kill at 17.5 s), so what a pod goes through does not
/// depend on how far apart the ticks are.
struct ContainerRuntime: Sendable {
    /// What the pod and the cluster give the container during one tick.
    struct Surroundings {
        var tickStart: Date
        var podIP: String
        /// `name_namespace(uid)`, the kubelet's `format.Pod`.
        var podLabel: String
        var podUID: String
        var registry: Set<String>
        var load: PodLoad
        /// The first required variable the container does not get; read when it starts.
        var missingEnv: String?
        /// Why the kubelet cannot build the container's config (a ConfigMap or Secret, or a
        /// key in one, that the container needs and that is missing); checked at each start.
        var configError: String?
    }

    struct Termination: Sendable, Equatable {
        var exitCode: Int64
        var reason: String
        var startedAt: Date
        var finishedAt: Date
        var containerID: String
        /// `terminated.message`: the runtime's error, or the log tail (FallbackToLogsOnError).
        var message: String?
    }

    struct ProbeRun: Sendable, Equatable {
        var next: Date
        var failures = 0
        var successes = 0
    }

    /// One start of the container: its process and probes.
    struct Instance: Sendable, Equatable {
        var containerID: String
        var startedAt: Date
        var listensAt: Date
        /// Set when the process exits for a missing variable.
        var crashAt: Date?
        /// When the process ends by itself (`exit`).
        var exitAt: Date?
        var liveness: ProbeRun?
        var readiness: ProbeRun?
        var ready = false
    }

    enum Phase: Sendable, Equatable {
        case creating(at: Date)
        case pullFailed(at: Date, error: String)
        case pullBackOff(until: Date, error: String)
        case running(Instance)
        case crashBackOff(until: Date, delay: TimeInterval)
        /// An init container that exited 0: done for good.
        case completed(Termination)
        /// CreateContainerConfigError; the kubelet tries again at `retryAt`.
        case configError(retryAt: Date, message: String)
    }

    private enum Step {
        case pull, enterPullBackOff, start, exitMissingEnv, exitByItself, outOfMemory, liveness, readiness, listen
    }

    let spec: ContainerSpec
    private(set) var phase: Phase
    private(set) var restartCount = 0
    private(set) var lastTermination: Termination?
    private(set) var pulled = false
    /// When `ready` last changed.
    private(set) var readyChangedAt: Date
    /// The log of the running (or last) instance, and of the one before it once restarted.
    private(set) var currentLog: String?
    private(set) var previousLog: String?
    private var instances = 0
    private var lastContainerID: String?
    private var crashBackOff = RestartBackOff()
    private var pullBackOff = RestartBackOff()
    private var random: SplitMix64

    init(spec: ContainerSpec, createdAt: Date, seed: String) {
        self.spec = spec
        phase = .creating(at: createdAt)
        readyChangedAt = createdAt
        random = SplitMix64(name: seed + "/" + spec.name)
    }

    var ready: Bool {
        switch phase {
        case .running(let instance): instance.ready
        case .completed: true
        default: false
        }
    }
    /// When an init container completed; nil while it has not.
    var completedAt: Date? { if case .completed(let termination) = phase { termination.finishedAt } else { nil } }
    var hasStarted: Bool { instances > 0 }

    mutating func advance(to now: Date, in surroundings: Surroundings, events: inout [KubeletEvent]) {
        for _ in 0..<10_000 {
            guard let (time, step) = nextStep(surroundings), time <= now else { return }
            perform(step, at: time, surroundings, &events)
        }
    }

    private func nextStep(_ surroundings: Surroundings) -> (Date, Step)? {
        switch phase {
        case .creating(let at): return (at, .pull)
        case .pullFailed(let at, _): return (at.addingTimeInterval(1), .enterPullBackOff)
        case .pullBackOff(let until, _): return (until, .pull)
        case .crashBackOff(let until, _): return (until, .start)
        case .configError(let retryAt, _): return (retryAt, .start)
        case .completed: return nil
        case .running(let instance):
            var candidates: [(Date, Step)] = []
            if let crashAt = instance.crashAt { candidates.append((crashAt, .exitMissingEnv)) }
            if let exitAt = instance.exitAt, instance.crashAt == nil { candidates.append((exitAt, .exitByItself)) }
            if let uptime = spec.outOfMemoryUptime(requestsPerSecond: surroundings.load.requestsPerSecond) {
                let at = instance.startedAt.addingTimeInterval(max(1, uptime))
                candidates.append((max(at, surroundings.tickStart), .outOfMemory))
            }
            if let run = instance.liveness { candidates.append((run.next, .liveness)) }
            if let run = instance.readiness { candidates.append((run.next, .readiness)) }
            if spec.readiness == nil, !instance.ready, instance.crashAt == nil, !spec.isInit {
                candidates.append((instance.listensAt, .listen))
            }
            return candidates.min { $0.0 < $1.0 }
        }
    }

    private mutating func perform(_ step: Step, at time: Date, _ surroundings: Surroundings, _ events: inout [KubeletEvent]) {
        let name = spec.name
        let image = spec.image
        switch step {
        case .pull:
            if ImagePull.available(image, in: surroundings.registry) {
                start(at: time, surroundings, &events)
            } else {
                let error = ImagePull.notFoundError(image)
                events.append(.normal(time, name, "Pulling", "Pulling image \"\(image)\""))
                events.append(.warning(time, name, "Failed", "Failed to pull image \"\(image)\": \(error)"))
                events.append(.warning(time, name, "Failed", "Error: ErrImagePull"))
                phase = .pullFailed(at: time, error: error)
            }
        case .enterPullBackOff:
            guard case .pullFailed(let failedAt, let error) = phase else { return }
            let delay = pullBackOff.pullDelay(after: failedAt)
            events.append(.normal(time, name, "BackOff", "Back-off pulling image \"\(image)\""))
            events.append(.warning(time, name, "Failed", "Error: ImagePullBackOff"))
            phase = .pullBackOff(until: failedAt.addingTimeInterval(delay), error: error)
        case .start:
            start(at: time, surroundings, &events)
        case .exitMissingEnv:
            terminate(reason: "Error", exitCode: 1, at: time, surroundings, &events)
        case .exitByItself:
            let code = spec.exit?.code ?? 0
            terminate(reason: code == 0 ? "Completed" : "Error", exitCode: code, at: time, surroundings, &events)
        case .outOfMemory:
            terminate(reason: "OOMKilled", exitCode: 137, at: time, surroundings, &events)
        case .liveness:
            guard case .running(var instance) = phase, var run = instance.liveness, let probe = spec.liveness else { return }
            run.next = time.addingTimeInterval(probe.period)
            if let failure = attempt(probe, instance, at: time, surroundings) {
                run.failures += 1
                events.append(.warning(time, name, "Unhealthy", failure))
                if run.failures >= probe.failureThreshold {
                    events.append(.normal(time, name, "Killing", "Container \(name) failed liveness probe, will be restarted"))
                    terminate(reason: "Error", exitCode: 137, at: time, surroundings, &events)
                    return
                }
            } else {
                run.failures = 0
            }
            instance.liveness = run
            phase = .running(instance)
        case .readiness:
            guard case .running(var instance) = phase, var run = instance.readiness, let probe = spec.readiness else { return }
            run.next = time.addingTimeInterval(probe.period)
            if let failure = attempt(probe, instance, at: time, surroundings) {
                run.failures += 1
                run.successes = 0
                events.append(.warning(time, name, "Unhealthy", failure))
                if instance.ready, run.failures >= probe.failureThreshold { setReady(false, &instance, at: time) }
            } else {
                run.failures = 0
                run.successes += 1
                if !instance.ready, run.successes >= probe.successThreshold { setReady(true, &instance, at: time) }
            }
            instance.readiness = run
            phase = .running(instance)
        case .listen:
            guard case .running(var instance) = phase else { return }
            setReady(true, &instance, at: time)
            phase = .running(instance)
        }
    }

    private mutating func setReady(_ ready: Bool, _ instance: inout Instance, at time: Date) {
        instance.ready = ready
        readyChangedAt = time
    }

    /// nil when the probe succeeds, else the Unhealthy event message.
    private mutating func attempt(_ probe: Probe, _ instance: Instance, at time: Date, _ surroundings: Surroundings) -> String? {
        guard let port = probe.port else { return nil }
        let listening = instance.crashAt == nil && time >= instance.listensAt && spec.listens.contains(port)
        guard listening else { return probe.refused(ip: surroundings.podIP) }
        if case .http(_, let path, _) = probe.action {
            let status = spec.httpStatus(path: path)
            if !(200..<400).contains(status) { return probe.failedStatus(status) }
        }
        // A process at saturation s answers about s times slower: a 1 s timeout is missed with
        // probability 1 - 1/s, a longer timeout tolerates more.
        let saturation = surroundings.load.saturation
        if saturation > 1, random.unit() < 1 - min(1, probe.timeout / saturation) {
            return probe.timedOut(ip: surroundings.podIP)
        }
        return nil
    }

    /// How often the kubelet's pod sync tries again to build a container's config.
    static let configRetry: TimeInterval = 10

    private mutating func start(at time: Date, _ surroundings: Surroundings, _ events: inout [KubeletEvent]) {
        let name = spec.name
        pulled = true
        if let error = surroundings.configError {
            events.append(.normal(time, name, "Pulled", "Container image \"\(spec.image)\" already present on machine"))
            events.append(.warning(time, name, "Failed", "Error: \(error)"))
            phase = .configError(retryAt: time.addingTimeInterval(Self.configRetry), message: error)
            return
        }
        if instances > 0 { restartCount += 1 }
        instances += 1
        let containerID = "containerd://" + Timestamp.hexID(of: "\(surroundings.podUID)/\(name)/\(instances)")
        lastContainerID = containerID
        events.append(.normal(time, name, "Pulled", "Container image \"\(spec.image)\" already present on machine"))
        events.append(.normal(time, name, "Created", "Created container: \(name)"))
        if let error = spec.startError {
            // The task never starts: exit 128, reason StartError, started at the zero time.
            events.append(.warning(time, name, "Failed", "Error: \(error)"))
            lastTermination = Termination(exitCode: 128, reason: "StartError", startedAt: Date(timeIntervalSince1970: 0),
                                          finishedAt: time, containerID: containerID, message: error)
            backOff(after: time, surroundings, &events)
            return
        }
        events.append(.normal(time, name, "Started", "Started container \(name)"))
        var instance = Instance(containerID: containerID, startedAt: time, listensAt: time.addingTimeInterval(spec.startup))
        if let missing = surroundings.missingEnv {
            instance.crashAt = time.addingTimeInterval(1)
            currentLog = (spec.app?.crashLog ?? "").replacingOccurrences(of: "$(NAME)", with: missing) + "\n"
        } else if let exit = spec.exit {
            instance.exitAt = time.addingTimeInterval(max(0, exit.after))
            currentLog = exit.log.isEmpty || exit.log.hasSuffix("\n") ? exit.log : exit.log + "\n"
        } else {
            currentLog = "Listening on " + spec.listens.map { ":\($0)" }.joined(separator: ", ") + "\n"
        }
        instance.liveness = spec.liveness.map { ProbeRun(next: $0.firstAttempt(after: time)) }
        instance.readiness = spec.readiness.map { ProbeRun(next: $0.firstAttempt(after: time)) }
        phase = .running(instance)
    }

    private mutating func terminate(reason: String, exitCode: Int64, at time: Date, _ surroundings: Surroundings,
                                    _ events: inout [KubeletEvent]) {
        guard case .running(var instance) = phase else { return }
        if instance.ready { setReady(false, &instance, at: time) }
        var termination = Termination(exitCode: exitCode, reason: reason, startedAt: instance.startedAt,
                                      finishedAt: time, containerID: instance.containerID)
        if spec.fallbackToLogs, exitCode != 0, let log = currentLog, !log.isEmpty {
            termination.message = Self.logTail(log)
        }
        if spec.isInit, exitCode == 0 {
            phase = .completed(termination)
            readyChangedAt = time
            return
        }
        lastTermination = termination
        previousLog = currentLog
        backOff(after: time, surroundings, &events)
    }

    /// After a failed start or an exit: started again at once the first time, else waiting
    /// out the back-off (CrashLoopBackOff).
    private mutating func backOff(after time: Date, _ surroundings: Surroundings, _ events: inout [KubeletEvent]) {
        let delay = crashBackOff.restartDelay(after: time)
        if delay == 0 {
            phase = .crashBackOff(until: time, delay: 0)
        } else {
            events.append(.warning(time, spec.name, "BackOff",
                                   "Back-off restarting failed container \(spec.name) in pod \(surroundings.podLabel)"))
            phase = .crashBackOff(until: time.addingTimeInterval(delay), delay: delay)
        }
    }

    /// What the kubelet puts into `terminated.message` under FallbackToLogsOnError: the last
    /// 80 lines of the log, at most 2048 bytes.
    static func logTail(_ log: String) -> String {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
        var tail = lines.suffix(81).joined(separator: "\n")
        while tail.utf8.count > 2048 { tail.removeFirst() }
        return tail
    }

    private static func terminatedJSON(_ termination: Termination) -> JSON {
        var terminated: JSON = [
            "exitCode": .int(termination.exitCode), "reason": .string(termination.reason),
            "startedAt": .string(Timestamp.format(termination.startedAt)),
            "finishedAt": .string(Timestamp.format(termination.finishedAt)),
            "containerID": .string(termination.containerID),
        ]
        if let message = termination.message { terminated["message"] = .string(message) }
        return terminated
    }

    /// The container's entry in `status.containerStatuses`.
    func status(podLabel: String) -> JSON {
        var state: JSON
        switch phase {
        case .creating:
            state = ["waiting": ["reason": "ContainerCreating"]]
        case .pullFailed(_, let error):
            state = ["waiting": ["reason": "ErrImagePull", "message": .string(error)]]
        case .pullBackOff(_, let error):
            state = ["waiting": ["reason": "ImagePullBackOff",
                                 "message": .string(ImagePull.backOffMessage(spec.image, error: error))]]
        case .running(let instance):
            state = ["running": ["startedAt": .string(Timestamp.format(instance.startedAt))]]
        case .crashBackOff(_, let delay):
            let message = "back-off \(GoDuration.text(delay)) restarting failed container=\(spec.name) pod=\(podLabel)"
            state = ["waiting": ["reason": "CrashLoopBackOff", "message": .string(message)]]
        case .completed(let termination):
            state = ["terminated": Self.terminatedJSON(termination)]
        case .configError(_, let message):
            state = ["waiting": ["reason": "CreateContainerConfigError", "message": .string(message)]]
        }
        var lastState: JSON = [:]
        if let termination = lastTermination {
            lastState = ["terminated": Self.terminatedJSON(termination)]
        }
        var status: JSON = [
            "name": .string(spec.name), "image": .string(ImagePull.normalized(spec.image)),
            "imageID": .string(pulled ? ImagePull.imageID(spec.image) : ""),
            "ready": .bool(ready), "started": .bool({ if case .running = phase { true } else { false } }()),
            "restartCount": .int(Int64(restartCount)), "state": state, "lastState": lastState,
        ]
        if let lastContainerID { status["containerID"] = .string(lastContainerID) }
        return status
    }
}
