/// `apps/v1` definitions: Deployments, ReplicaSets, StatefulSets, DaemonSets. Statuses are open.
enum AppsV1Schemas {
    static let prefix = "io.k8s.api.apps.v1."
    private static let selector = f("selector", .ref(MetaV1Schemas.labelSelector), "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.")
    private static let template = f("template", .ref(PodV1Schemas.podTemplateSpec), "Template describes the pods that will be created.")
    private static let minReady = f("minReadySeconds", .int32, "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)")
    private static let history = f("revisionHistoryLimit", .int32, "The number of old history to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.")

    private static func workload(_ kind: ResourceType, _ description: String, spec: String) -> SchemaDefinition {
        SchemaDefinition(prefix + kind.kind, description, kind: kind, CoreV1Schemas.header() + [
            f("spec", .ref(prefix + spec), "Specification of the desired behavior of the \(kind.kind)."),
            f("status", .open, "Most recently observed status of the \(kind.kind). Populated by the system. Read-only."),
        ])
    }

    static let definitions: [SchemaDefinition] = [
        workload(.deployment, "Deployment enables declarative updates for Pods and ReplicaSets.", spec: "DeploymentSpec"),
        workload(.replicaSet, "ReplicaSet ensures that a specified number of pod replicas are running at any given time.", spec: "ReplicaSetSpec"),
        workload(.statefulSet, "StatefulSet represents a set of pods with consistent identities.", spec: "StatefulSetSpec"),
        workload(.daemonSet, "DaemonSet represents the configuration of a daemon set.", spec: "DaemonSetSpec"),
        SchemaDefinition(prefix + "DeploymentSpec", "DeploymentSpec is the specification of the desired behavior of the Deployment.", required: ["selector", "template"], [
            minReady,
            f("paused", .boolean, "Indicates that the deployment is paused."),
            f("progressDeadlineSeconds", .int32, "The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Defaults to 600s."),
            f("replicas", .int32, "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."),
            history, selector,
            f("strategy", .ref(prefix + "DeploymentStrategy"), "The deployment strategy to use to replace existing pods with new ones."),
            template,
        ]),
        SchemaDefinition(prefix + "DeploymentStrategy", "DeploymentStrategy describes how to replace existing pods with new ones.", [
            f("rollingUpdate", .ref(prefix + "RollingUpdateDeployment"), "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate."),
            f("type", .string, "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate."),
        ]),
        SchemaDefinition(prefix + "RollingUpdateDeployment", "Spec to control the desired behavior of rolling update.", [
            f("maxSurge", .intOrString, "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."),
            f("maxUnavailable", .intOrString, "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%."),
        ]),
        SchemaDefinition(prefix + "ReplicaSetSpec", "ReplicaSetSpec is the specification of a ReplicaSet.", required: ["selector"], [
            minReady,
            f("replicas", .int32, "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1."),
            selector, template,
        ]),
        SchemaDefinition(prefix + "StatefulSetSpec", "A StatefulSetSpec is the specification of a StatefulSet.", required: ["selector", "template"], [
            minReady,
            f("ordinals", .open, "ordinals controls the numbering of replica indices in a StatefulSet."),
            f("persistentVolumeClaimRetentionPolicy", .open, "persistentVolumeClaimRetentionPolicy describes the lifecycle of persistent volume claims created from volumeClaimTemplates."),
            f("podManagementPolicy", .string, "podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down. The default policy is `OrderedReady`."),
            f("replicas", .int32, "replicas is the desired number of replicas of the given Template. Defaults to 1."),
            history, selector,
            f("serviceName", .string, "serviceName is the name of the service that governs this StatefulSet."),
            template,
            f("updateStrategy", .open, "updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template."),
            f("volumeClaimTemplates", .array(.open), "volumeClaimTemplates is a list of claims that pods are allowed to reference."),
        ]),
        SchemaDefinition(prefix + "DaemonSetSpec", "DaemonSetSpec is the specification of a daemon set.", required: ["selector", "template"], [
            minReady, history, selector, template,
            f("updateStrategy", .open, "An update strategy to replace existing DaemonSet pods with new pods."),
        ]),
    ]
}
