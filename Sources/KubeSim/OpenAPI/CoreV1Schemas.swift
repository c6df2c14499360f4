/// `core/v1` definitions other than the pod's: services, config, namespaces, nodes, quotas.
enum CoreV1Schemas {
    static let prefix = "io.k8s.api.core.v1."
    static let apiVersionText = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values."
    static let kindText = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase."
    static let metadataText = "Standard object's metadata."

    /// `apiVersion`, `kind` and `metadata`, which every kind starts with.
    static func header() -> [Field] {
        [f("apiVersion", .string, apiVersionText), f("kind", .string, kindText),
         f("metadata", .ref(MetaV1Schemas.objectMeta), metadataText)]
    }

    static let definitions: [SchemaDefinition] = [
        SchemaDefinition(prefix + "Service", "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.", kind: .service, header() + [
            f("spec", .ref(prefix + "ServiceSpec"), "Spec defines the behavior of a service."),
            f("status", .open, "Most recently observed status of the service. Populated by the system. Read-only."),
        ]),
        SchemaDefinition(prefix + "ServiceSpec", "ServiceSpec describes the attributes that a user creates on a service.", [
            f("allocateLoadBalancerNodePorts", .boolean, "allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer."),
            f("clusterIP", .string, "clusterIP is the IP address of the service and is usually assigned randomly."),
            f("clusterIPs", .array(.string), "ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly."),
            f("externalIPs", .array(.string), "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            f("externalName", .string, "externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). Requires `type` to be \"ExternalName\"."),
            f("externalTrafficPolicy", .string, "externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service's \"externally-facing\" addresses."),
            f("internalTrafficPolicy", .string, "InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP."),
            f("ipFamilies", .array(.string), "IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service."),
            f("ipFamilyPolicy", .string, "IPFamilyPolicy represents the dual-stack-ness requested or required by this Service."),
            f("loadBalancerClass", .string, "loadBalancerClass is the class of the load balancer implementation this Service belongs to."),
            f("loadBalancerIP", .string, "Only applies to Service Type: LoadBalancer. Deprecated."),
            f("loadBalancerSourceRanges", .array(.string), "If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs."),
            f("ports", .list(prefix + "ServicePort", keys: ["port", "protocol"]), "The list of ports that are exposed by this service."),
            f("publishNotReadyAddresses", .boolean, "publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready."),
            f("selector", .strings, "Route service traffic to pods with label keys and values matching this selector."),
            f("sessionAffinity", .string, "Supports \"ClientIP\" and \"None\". Used to maintain session affinity. Defaults to None."),
            f("sessionAffinityConfig", .open, "sessionAffinityConfig contains the configurations of session affinity."),
            f("trafficDistribution", .string, "TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints."),
            f("type", .string, "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
        ]),
        SchemaDefinition(prefix + "ServicePort", "ServicePort contains information on service's port.", required: ["port"], [
            f("appProtocol", .string, "The application protocol for this port."),
            f("name", .string, "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names."),
            f("nodePort", .int32, "The port on each node on which this service is exposed when type is NodePort or LoadBalancer."),
            f("port", .int32, "The port that will be exposed by this service."),
            f("protocol", .string, "The IP protocol for this port. Supports \"TCP\", \"UDP\", and \"SCTP\". Default is TCP."),
            f("targetPort", .intOrString, "Number or name of the port to access on the pods targeted by the service. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map)."),
        ]),
        SchemaDefinition(prefix + "ConfigMap", "ConfigMap holds configuration data for pods to consume.", kind: .configMap, header() + [
            f("binaryData", .map(.string), "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
            f("data", .strings, "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
            f("immutable", .boolean, "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified)."),
        ]),
        SchemaDefinition(prefix + "Secret", "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.", kind: .secret, header() + [
            f("data", .map(.string), "Data contains the secret data. The serialized form of the secret data is a base64 encoded string."),
            f("immutable", .boolean, "Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified)."),
            f("stringData", .strings, "stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience."),
            f("type", .string, "Used to facilitate programmatic handling of secret data."),
        ]),
        SchemaDefinition(prefix + "Namespace", "Namespace provides a scope for Names. Use of multiple namespaces is optional.", kind: .namespace, header() + [
            f("spec", .open, "Spec defines the behavior of the Namespace."),
            f("status", .open, "Status describes the current status of a Namespace."),
        ]),
        SchemaDefinition(prefix + "Node", "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).", kind: .node, header() + [
            f("spec", .ref(prefix + "NodeSpec"), "Spec defines the behavior of a node."),
            f("status", .open, "Most recently observed status of the node. Populated by the system. Read-only."),
        ]),
        SchemaDefinition(prefix + "NodeSpec", "NodeSpec describes the attributes that a node is created with.", [
            f("configSource", .open, "Deprecated: Previously used to specify the source of the node's configuration for the DynamicKubeletConfig feature."),
            f("externalID", .string, "Deprecated. Not all kubelets will set this field."),
            f("podCIDR", .string, "PodCIDR represents the pod IP range assigned to the node."),
            f("podCIDRs", .array(.string, keys: []), "podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node."),
            f("providerID", .string, "ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>"),
            f("taints", .list(prefix + "Taint"), "If specified, the node's taints."),
            f("unschedulable", .boolean, "Unschedulable controls node schedulability of new pods. By default, node is schedulable."),
        ]),
        SchemaDefinition(prefix + "Taint", "The node this Taint is attached to has the \"effect\" on any pod that does not tolerate the Taint.", required: ["key", "effect"], [
            f("effect", .string, "Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute."),
            f("key", .string, "Required. The taint key to be applied to a node."),
            f("timeAdded", .time, "TimeAdded represents the time at which the taint was added. It is only written for NoExecute taints."),
            f("value", .string, "The taint value corresponding to the taint key."),
        ]),
        SchemaDefinition(prefix + "ResourceQuota", "ResourceQuota sets aggregate quota restrictions enforced per namespace", kind: .resourceQuota, header() + [
            f("spec", .ref(prefix + "ResourceQuotaSpec"), "Spec defines the desired quota."),
            f("status", .open, "Status defines the actual enforced quota and its current usage."),
        ]),
        SchemaDefinition(prefix + "ResourceQuotaSpec", "ResourceQuotaSpec defines the desired hard limits to enforce for Quota.", [
            f("hard", .map(.quantity), "hard is the set of desired hard limits for each named resource."),
            f("scopeSelector", .open, "scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values."),
            f("scopes", .array(.string), "A collection of filters that must match each object tracked by a quota. If not specified, the quota matches all objects."),
        ]),
        SchemaDefinition(prefix + "ServiceAccount", "ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets", kind: .serviceAccount, header() + [
            f("automountServiceAccountToken", .boolean, "AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted."),
            f("imagePullSecrets", .array(.open), "ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount."),
            f("secrets", .array(.open), "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        ]),
        SchemaDefinition(prefix + "Endpoints", "Endpoints is a collection of endpoints that implement the actual service.", kind: .endpoints, header() + [
            f("subsets", .array(.open), "The set of all endpoints is the union of all subsets."),
        ]),
        SchemaDefinition(prefix + "PersistentVolumeClaim", "PersistentVolumeClaim is a user's request for and claim to a persistent volume", kind: .persistentVolumeClaim, header() + [
            f("spec", .ref(prefix + "PersistentVolumeClaimSpec"), "spec defines the desired characteristics of a volume requested by a pod author."),
            f("status", .open, "status represents the current information/status of a persistent volume claim. Read-only."),
        ]),
        SchemaDefinition(prefix + "PersistentVolumeClaimSpec", "PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes", [
            f("accessModes", .array(.string), "accessModes contains the desired access modes the volume should have."),
            f("dataSource", .open, "dataSource field can be used to specify either an existing VolumeSnapshot object or an existing PVC."),
            f("dataSourceRef", .open, "dataSourceRef specifies the object from which to populate the volume with data, if a non-empty volume is desired."),
            f("resources", .ref(prefix + "VolumeResourceRequirements"), "resources represents the minimum resources the volume should have."),
            f("selector", .ref(MetaV1Schemas.labelSelector), "selector is a label query over volumes to consider for binding."),
            f("storageClassName", .string, "storageClassName is the name of the StorageClass required by the claim."),
            f("volumeAttributesClassName", .string, "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
            f("volumeMode", .string, "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec."),
            f("volumeName", .string, "volumeName is the binding reference to the PersistentVolume backing this claim."),
        ]),
        SchemaDefinition(prefix + "VolumeResourceRequirements", "VolumeResourceRequirements describes the storage resource requirements for a volume.", [
            f("limits", .map(.quantity), "Limits describes the maximum amount of compute resources allowed."),
            f("requests", .map(.quantity), "Requests describes the minimum amount of compute resources required."),
        ]),
        SchemaDefinition(prefix + "PersistentVolume", "PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node.", kind: .persistentVolume, header() + [
            f("spec", .open, "spec defines a specification of a persistent volume owned by the cluster. Provisioned by an administrator."),
            f("status", .open, "status represents the current information/status for the persistent volume. Populated by the system. Read-only."),
        ]),
        SchemaDefinition(prefix + "Event", "Event is a report of an event somewhere in the cluster.", kind: .event, header() + [
            f("action", .string, "What action was taken/failed regarding to the Regarding object."),
            f("count", .int32, "The number of times this event has occurred."),
            f("eventTime", .string, "Time when this Event was first observed."),
            f("firstTimestamp", .time, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
            f("involvedObject", .open, "The object that this event is about."),
            f("lastTimestamp", .time, "The time at which the most recent occurrence of this event was recorded."),
            f("message", .string, "A human-readable description of the status of this operation."),
            f("reason", .string, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            f("related", .open, "Optional secondary object for more complex actions."),
            f("reportingComponent", .string, "Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`."),
            f("reportingInstance", .string, "ID of the controller instance, e.g. `kubelet-xyzf`."),
            f("series", .open, "Data about the Event series this event represents or nil if it's a singleton Event."),
            f("source", .open, "The component reporting this event. Should be a short machine understandable string."),
            f("type", .string, "Type of this event (Normal, Warning), new types could be added in the future"),
        ]),
    ]
}
