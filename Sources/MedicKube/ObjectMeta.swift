import Foundation

/// The identity and bookkeeping every persisted object carries. `name` is required because
/// the server always sets it; everything a diagnosis joins on (labels, owners) is non-optional.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int?
    public var creationTimestamp: Date?
    public var deletionTimestamp: Date?
    public var generateName: String?
    @DefaultEmpty public var labels: [String: String]
    @DefaultEmpty public var annotations: [String: String]
    @DefaultEmpty public var ownerReferences: [OwnerReference]
    @DefaultEmpty public var finalizers: [String]

    public init(
        name: String,
        namespace: String? = nil,
        uid: String? = nil,
        resourceVersion: String? = nil,
        generation: Int? = nil,
        creationTimestamp: Date? = nil,
        deletionTimestamp: Date? = nil,
        generateName: String? = nil,
        labels: [String: String] = [:],
        annotations: [String: String] = [:],
        ownerReferences: [OwnerReference] = [],
        finalizers: [String] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.generateName = generateName
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
    }

    /// The owner that manages this object (a pod's ReplicaSet, a ReplicaSet's Deployment): the
    /// reference with `controller: true`. Other owners only keep the object alive.
    public var controllerOwner: OwnerReference? {
        ownerReferences.first { $0.controller == true }
    }
}

/// A link from an object to the one that created it, used to walk pod → ReplicaSet → Deployment.
public struct OwnerReference: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(
        apiVersion: String,
        kind: String,
        name: String,
        uid: String,
        controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}
