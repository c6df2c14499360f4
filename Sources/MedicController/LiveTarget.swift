import Foundation
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation

/// The object an action aims at (`Remediation.liveObject`), as this pass observed it: what the
/// policy gate needs to decide (labels, annotations, the live values caps compare against) and
/// what the act stage reads from it (an approval annotation, the uid an Event points at).
struct LiveTarget: Sendable {
    /// The annotation a human sets on the target to approve a proposal: its value is the id.
    static let approvalAnnotation = "medic.io/approve"

    var metadata: ObjectMeta
    var workload: Workload?

    /// An object the view does not hold (a GitOps syncer), from its metadata alone.
    init(metadata: ObjectMeta) {
        self.metadata = metadata
    }

    init?(_ ref: ObjectRef, in view: ClusterView) {
        if let workload = view.workload(ref) {
            metadata = workload.metadata
            self.workload = workload
        } else if let service = view.service(ref) {
            metadata = service.metadata
        } else if ref.kind == "Pod", let pod = view.podsByNamespace[ref.namespace]?.first(where: { $0.metadata.name == ref.name }) {
            metadata = pod.metadata
        } else {
            return nil
        }
    }

    var approvalID: String? { metadata.annotations[Self.approvalAnnotation] }

    func decisionContext(for action: Action, namespace: Namespace?, now: Date, history: ActionHistory) -> DecisionContext {
        var current = CurrentState(replicas: workload?.desiredReplicas)
        if let container = container(changedBy: action) {
            current.memoryLimit = container.resources.limits["memory"]
            current.env = Dictionary(container.env.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        }
        return DecisionContext(now: now, target: ObjectLabels(metadata), namespace: namespace.map { ObjectLabels($0.metadata) } ?? ObjectLabels(),
                               current: current, history: history)
    }

    /// The container whose values a cap compares with: the one named, else the first.
    private func container(changedBy action: Action) -> Container? {
        let containers = workload?.template.spec.containers ?? []
        guard let name = action.descriptor.containerName else { return containers.first }
        return containers.first { $0.name == name }
    }
}
