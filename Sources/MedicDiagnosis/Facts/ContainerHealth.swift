import Foundation
import MedicKube

/// A container's health across all pods of its workload: the highest restart count, the most
/// recent termination, the current waiting reason. Rules ask "was `auth` OOMKilled lately",
/// not "which of the three pods".
public struct ContainerHealth: Sendable {
    public struct Termination: Sendable {
        public var reason: String
        public var exitCode: Int
        public var startedAt: Date?
        public var finishedAt: Date?
        public var pod: String
        /// The termination message: what the container wrote to its termination log, or, with
        /// `FallbackToLogsOnError`, the tail of its log. Often the only place the crash is explained.
        public var message: String
    }

    public struct Waiting: Sendable {
        public var reason: String
        public var message: String
        public var pod: String
    }

    public var restartCount = 0
    public var ready = true
    public var podCount = 0
    public var lastTermination: Termination?
    public var waiting: Waiting?
    /// Latest start of a currently running instance, to tell a healed container from a sick one.
    public var runningSince: Date?

    public init(container name: String, pods: [Pod]) {
        for pod in pods {
            guard let status = pod.status.containerStatuses.first(where: { $0.name == name }) else { continue }
            podCount += 1
            restartCount = max(restartCount, status.restartCount)
            ready = ready && status.ready
            for state in [status.state, status.lastState] {
                guard let terminated = state.terminated else { continue }
                let candidate = Termination(reason: terminated.reason ?? "", exitCode: terminated.exitCode,
                                            startedAt: terminated.startedAt, finishedAt: terminated.finishedAt,
                                            pod: pod.metadata.name, message: terminated.message ?? "")
                if lastTermination == nil
                    || (candidate.finishedAt ?? .distantPast) > (lastTermination?.finishedAt ?? .distantPast) {
                    lastTermination = candidate
                }
            }
            if let waiting = status.state.waiting, let reason = waiting.reason,
               self.waiting == nil || self.waiting?.reason == "ContainerCreating" {
                self.waiting = Waiting(reason: reason, message: waiting.message ?? "", pod: pod.metadata.name)
            }
            if let started = status.state.running?.startedAt {
                runningSince = max(runningSince ?? started, started)
            }
        }
        if podCount == 0 { ready = false }
    }
}
