import Foundation
import MedicKube

/// Everything visibly wrong with a workload, in the words of the component that said it: pods
/// the scheduler cannot place, containers waiting in a failure state, init containers that do
/// not finish, containers that run but are not ready, rollouts past their deadline, ReplicaSets
/// that cannot create pods, replicas missing with no pod to blame. This is the triage floor's
/// input: whatever no specific runbook explains is still reported, never silently dropped.
///
/// Reasons are the ones `kubectl get pods` shows: `Init:CrashLoopBackOff` for an init container.
///
/// A pod also counts when it stays `Pending` with nothing else said, or outlives its deletion
/// deadline (`Terminating`).
///
/// An issue is `settled` when its state is itself a failure (a back-off, a deadline passed, a
/// refused create). Otherwise it may be a moment of a normal start (a pod being scheduled, a
/// container being created, a readiness probe warming up), and the runbook decides how long
/// after `since` it stops being one.
public struct WorkloadIssue: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case unschedulable, pending, waiting, initContainer = "init", notReady = "not-ready", terminating, rollout,
             replicaFailure = "replica-failure", short,
             /// A crash loop caught between two crashes: the container is dead now or running
             /// again, and failed often and lately enough that the next back-off is coming.
             crashed
    }

    public var kind: Kind
    /// `Pod/name`, `ReplicaSet/name` or the workload's `Kind/name`.
    public var object: String
    public var container: String
    public var reason: String
    public var message: String
    public var since: Date?
    public var settled: Bool
    /// What a human should look at next: one kubectl command.
    public var next: String
    /// What the message says the cause is (`IssueCauses`): `taint`, `quota`, `exec-not-found`, …
    public var causes: [String] { IssueCauses.tags(in: message) }
    /// How many objects showed the same issue (one entry stands for all the pods of a replica
    /// set that crash alike).
    public var count = 1
    /// When the issue stops counting, if it ends by itself: a crash is a loop only while the
    /// kubelet's back-off window after it lasts.
    public var until: Date? = nil

    /// Container waiting reasons that are a normal step of a start, not a failure.
    static let startingReasons: Set<String> = ["ContainerCreating", "PodInitializing"]

    public static func issues(of workload: Workload, pods: [Pod], replicaSets: [ReplicaSet],
                              events: [Event]) -> [WorkloadIssue] {
        let namespace = workload.namespace
        var issues: [WorkloadIssue] = []
        for pod in pods where !["Succeeded", "Failed"].contains(pod.status.phase ?? "") {
            if let deadline = pod.metadata.deletionTimestamp {
                // Past its deletion deadline, a pod is held by a finalizer or a lost node.
                issues.append(WorkloadIssue(
                    kind: .terminating, object: "Pod/\(pod.metadata.name)", container: "", reason: "Terminating",
                    message: "deleted, due to be gone by \(RFC3339.format(deadline))"
                        + (pod.metadata.finalizers.isEmpty ? "" : "; finalizers: \(pod.metadata.finalizers.joined(separator: ", "))"),
                    since: deadline, settled: false,
                    next: "kubectl -n \(namespace) describe pod \(pod.metadata.name)"))
                continue
            }
            issues += podIssues(pod, namespace: namespace, events: events)
        }
        let resource = "\(workload.kind.lowercased())/\(workload.name)"
        for condition in workload.conditions {
            if condition.type == "Progressing", condition.status == "False" {
                issues.append(WorkloadIssue(
                    kind: .rollout, object: "\(workload.kind)/\(workload.name)", container: "",
                    reason: condition.reason ?? "NotProgressing", message: condition.message ?? "",
                    since: condition.lastUpdateTime ?? condition.lastTransitionTime, settled: true,
                    next: "kubectl -n \(namespace) rollout status \(resource); kubectl -n \(namespace) describe \(resource)"))
            }
            if condition.type == "ReplicaFailure", condition.status == "True" {
                issues.append(replicaFailure(object: "\(workload.kind)/\(workload.name)", reason: condition.reason,
                                             message: condition.message, since: condition.lastTransitionTime,
                                             namespace: namespace, resource: resource))
            }
        }
        let current = replicaSets.first
        if let current, let condition = current.status.conditions.first(where: { $0.type == "ReplicaFailure" && $0.isTrue }),
           !issues.contains(where: { $0.kind == .replicaFailure }) {
            issues.append(replicaFailure(object: "ReplicaSet/\(current.metadata.name)", reason: condition.reason,
                                         message: condition.message, since: condition.lastTransitionTime,
                                         namespace: namespace, resource: "replicaset/\(current.metadata.name)"))
        }
        let desired = workload.desiredReplicas ?? 0
        let readyPods = pods.filter(\.isReady).count
        let short = desired > 0 && workload.readyReplicas < desired && readyPods < desired
        if short, !issues.contains(where: { $0.kind == .replicaFailure }) {
            // A controller that cannot create pods says so only in events: quota, admission, PSA.
            let creator = [workload.kind == "Deployment" ? current.map { "ReplicaSet/\($0.metadata.name)" } : nil,
                           "\(workload.kind)/\(workload.name)"].compactMap { $0 }
            if let failed = events.last(where: { event in
                event.reason == "FailedCreate" && event.type == "Warning"
                    && creator.contains("\(event.involvedObject.kind ?? "")/\(event.involvedObject.name ?? "")")
            }) {
                issues.append(replicaFailure(
                    object: "\(failed.involvedObject.kind ?? "")/\(failed.involvedObject.name ?? "")",
                    reason: "FailedCreate", message: failed.message, since: failed.lastSeen,
                    namespace: namespace, resource: resource))
            }
        }
        if short, issues.isEmpty, workload.hasStatus {
            let newestPod = pods.compactMap(\.metadata.creationTimestamp).max()
            issues.append(WorkloadIssue(
                kind: .short, object: "\(workload.kind)/\(workload.name)", container: "", reason: "ReplicasNotReady",
                message: "\(workload.readyReplicas) of \(desired) replicas ready, \(pods.count) pods exist",
                since: newestPod ?? workload.metadata.creationTimestamp, settled: false,
                next: "kubectl -n \(namespace) describe \(resource)"))
        }
        return merged(issues)
    }

    /// One entry per kind, container and reason: the first object keeps its evidence, the
    /// others are counted.
    static func merged(_ issues: [WorkloadIssue]) -> [WorkloadIssue] {
        var result: [WorkloadIssue] = []
        for issue in issues {
            if let index = result.firstIndex(where: {
                $0.kind == issue.kind && $0.container == issue.container && $0.reason == issue.reason
            }) {
                result[index].count += 1
                result[index].settled = result[index].settled || issue.settled
                if let until = issue.until { result[index].until = max(result[index].until ?? until, until) }
                if let since = issue.since { result[index].since = min(result[index].since ?? since, since) }
            } else {
                result.append(issue)
            }
        }
        return result
    }

    private static func replicaFailure(object: String, reason: String?, message: String?, since: Date?,
                                       namespace: String, resource: String) -> WorkloadIssue {
        WorkloadIssue(kind: .replicaFailure, object: object, container: "", reason: reason ?? "FailedCreate",
                      message: message ?? "", since: since, settled: true,
                      next: "kubectl -n \(namespace) describe \(resource); kubectl -n \(namespace) get resourcequota")
    }

    private static func podIssues(_ pod: Pod, namespace: String, events: [Event]) -> [WorkloadIssue] {
        let name = pod.metadata.name
        let created = pod.metadata.creationTimestamp
        let describe = "kubectl -n \(namespace) describe pod \(name)"
        var issues: [WorkloadIssue] = []
        if let scheduled = pod.status.conditions.first(where: { $0.type == "PodScheduled" }), scheduled.status == "False" {
            let event = events.last { $0.reason == "FailedScheduling" && $0.involvedObject.name == name }
            issues.append(WorkloadIssue(
                kind: .unschedulable, object: "Pod/\(name)", container: "", reason: scheduled.reason ?? "Unschedulable",
                message: event?.message ?? scheduled.message ?? "", since: scheduled.lastTransitionTime ?? created,
                settled: false, next: describe))
            return issues
        }
        for status in pod.status.initContainerStatuses {
            let logs = "kubectl -n \(namespace) logs \(name) -c \(status.name)"
            if let waiting = status.state.waiting, let reason = waiting.reason, !startingReasons.contains(reason) {
                issues.append(WorkloadIssue(kind: .initContainer, object: "Pod/\(name)", container: status.name,
                                            reason: "Init:\(reason)", message: detail(waiting.message, last: status.lastState),
                                            since: created, settled: true, next: "\(logs) --previous"))
            } else if let running = status.state.running {
                issues.append(WorkloadIssue(
                    kind: .initContainer, object: "Pod/\(name)", container: status.name, reason: "Init:NotFinished",
                    message: "init container \(status.name) has been running since \(RFC3339.format(running.startedAt ?? created ?? .distantPast)) and has not finished",
                    since: running.startedAt ?? created, settled: false, next: logs))
            } else if let terminated = status.state.terminated, terminated.exitCode != 0 {
                issues.append(WorkloadIssue(kind: .initContainer, object: "Pod/\(name)", container: status.name,
                                            reason: "Init:\(terminated.reason ?? "Error")",
                                            message: detail(nil, last: status.state), since: terminated.finishedAt,
                                            settled: true, next: logs))
            }
        }
        // Containers do not start before every init container has finished: nothing more to say.
        guard issues.isEmpty else { return issues }
        let readySince = pod.status.conditions.first { $0.type == "Ready" }?.lastTransitionTime
        for status in pod.status.containerStatuses {
            let logs = "kubectl -n \(namespace) logs \(name) -c \(status.name) --previous"
            if let waiting = status.state.waiting, let reason = waiting.reason {
                let starting = startingReasons.contains(reason)
                issues.append(WorkloadIssue(kind: .waiting, object: "Pod/\(name)", container: status.name,
                                            reason: reason, message: detail(waiting.message, last: status.lastState),
                                            since: created, settled: !starting,
                                            next: status.restartCount > 0 ? logs : describe))
            } else if let crash = crash(status, pod: name, namespace: namespace) {
                issues.append(crash)
            } else if status.state.running != nil, !status.ready {
                let probe = events.last { event in
                    event.reason == "Unhealthy" && event.involvedObject.name == name
                        && (event.involvedObject.fieldPath ?? "").contains("{\(status.name)}")
                }
                issues.append(WorkloadIssue(
                    kind: .notReady, object: "Pod/\(name)", container: status.name, reason: "NotReady",
                    message: probe?.message ?? "container \(status.name) is running but not ready",
                    since: max(readySince ?? .distantPast, status.state.running?.startedAt ?? .distantPast),
                    settled: false, next: describe))
            }
        }
        if issues.isEmpty, pod.status.phase == "Pending" || pod.status.phase == nil {
            // Pending with nothing else said: bound to a node whose kubelet never started it
            // (a node name that does not exist), or never looked at by a scheduler.
            let node = pod.spec.nodeName
            issues.append(WorkloadIssue(
                kind: .pending, object: "Pod/\(name)", container: "", reason: "Pending",
                message: node.map { "bound to node \($0), whose kubelet has not started it" }
                    ?? "not scheduled by any scheduler yet",
                since: created, settled: false, next: node.map { "kubectl get node \($0); \(describe)" } ?? describe))
        }
        return issues
    }

    /// Failures a crash loop has by the time the back-off shows: fewer can be a start-up race
    /// with a dependency that settles by itself.
    static let crashLoopFailures = 3

    /// A container not waiting in CrashLoopBackOff at this instant but in the loop all the same:
    /// dead now (`Error` in `kubectl get pods`) or running again, after at least
    /// `crashLoopFailures` failures, the last with a non-zero exit code. It counts until
    /// `ContainerStatus.crashWindow` after that failure.
    static func crash(_ status: ContainerStatus, pod name: String, namespace: String) -> WorkloadIssue? {
        let dead = status.state.terminated != nil
        guard let failure = status.lastFailure, let finished = failure.finishedAt,
              status.restartCount + (dead ? 1 : 0) >= crashLoopFailures else { return nil }
        let now = status.state.running.map { "running again since \(RFC3339.format($0.startedAt ?? finished))" } ?? "not running"
        return WorkloadIssue(
            kind: .crashed, object: "Pod/\(name)", container: status.name, reason: failure.reason ?? "Error",
            message: "restarted \(status.restartCount) times, \(now); " + detail(nil, last: ContainerState(terminated: failure)),
            since: finished, settled: true,
            next: "kubectl -n \(namespace) logs \(name) -c \(status.name)" + (dead ? "" : " --previous"),
            until: finished.addingTimeInterval(ContainerStatus.crashWindow))
    }

    /// A waiting message with what the last instance left behind: exit code, reason and the
    /// termination message (where `FallbackToLogsOnError` puts the last log lines).
    static func detail(_ message: String?, last: ContainerState) -> String {
        var parts: [String] = []
        if let message, !message.isEmpty { parts.append(message) }
        if let terminated = last.terminated {
            var text = "last exit code \(terminated.exitCode)"
            if let reason = terminated.reason, !reason.isEmpty { text += " (\(reason))" }
            if let words = terminated.message?.trimmingCharacters(in: .whitespacesAndNewlines), !words.isEmpty {
                text += ": \(words.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | "))"
            }
            parts.append(text)
        }
        return parts.joined(separator: "; ")
    }
}

extension Pod {
    var isReady: Bool { status.conditions.contains { $0.type == "Ready" && $0.isTrue } }
}
