import Foundation
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation

/// What the policy gate is told in `medic test`, built from the test's own objects and nothing
/// else, in this one place so an author can see what a `decision:` was judged on:
///
/// - `now`: the test's `eval_time` (so a freeze window can be tested);
/// - `target`: the labels and annotations of the object the action changes
///   (`Remediation.liveObject`: workload, Service or Pod) as the test wrote it; none when the
///   test has no such object;
/// - `namespace`: the labels and annotations of the test's `Namespace` object of that name;
///   none when the test lists no such Namespace;
/// - `current.replicas`: the target workload's `spec.replicas` (1 when unset, as in Kubernetes;
///   unknown for a Service or a DaemonSet);
/// - `current.memoryLimit` and `current.env`: of the container the action names, or of the
///   only container when it names none (unknown with several);
/// - `history`: empty. Every test starts with no action taken, so cooldowns, rate limits and
///   in-flight actions never refuse in a test.
enum TestDecisionContext {
    static func make(for remediation: Remediation, in cluster: ClusterView, now: Date) -> DecisionContext {
        let target = remediation.liveObject
        let namespace = cluster.namespaces[target.namespace].map { ObjectLabels($0.metadata) } ?? ObjectLabels()
        if let service = cluster.services.first(where: { ref(of: $0) == target }) {
            return DecisionContext(now: now, target: ObjectLabels(service.metadata), namespace: namespace)
        }
        if target.kind == "Pod", let pod = cluster.podsByNamespace[target.namespace]?.first(where: { $0.metadata.name == target.name }) {
            return DecisionContext(now: now, target: ObjectLabels(pod.metadata), namespace: namespace)
        }
        guard let workload = cluster.workloads.first(where: { $0.ref == target }) else {
            return DecisionContext(now: now, namespace: namespace)
        }
        let container = remediation.action.descriptor.containerName
            .flatMap { name in workload.containers.first { $0.name == name } }
            ?? (workload.containers.count == 1 ? workload.containers.first : nil)
        var env: [String: String] = [:]
        for variable in container?.env ?? [] { env[variable.name] = variable.value }
        let current = CurrentState(replicas: workload.kind == "DaemonSet" ? nil : workload.desiredReplicas,
                                   memoryLimit: container?.resources.limits["memory"], env: env)
        return DecisionContext(now: now, target: ObjectLabels(workload.metadata), namespace: namespace, current: current)
    }

    private static func ref(of service: Service) -> ObjectRef {
        service.ref
    }
}
