/// One container of a pod spec: what runs, what it listens on, its environment, limits and probes.
/// The fields the failure patterns medic knows about are decoded; others are ignored.
public struct Container: Codable, Sendable, Hashable {
    public var name: String
    public var image: String?
    public var imagePullPolicy: String?
    @DefaultEmpty public var command: [String]
    @DefaultEmpty public var args: [String]
    @DefaultEmpty public var ports: [ContainerPort]
    @DefaultEmpty public var env: [EnvVar]
    @DefaultEmpty public var envFrom: [EnvFromSource]
    @DefaultEmpty public var resources: ResourceRequirements
    public var livenessProbe: Probe?
    public var readinessProbe: Probe?
    public var startupProbe: Probe?

    public init(
        name: String,
        image: String? = nil,
        imagePullPolicy: String? = nil,
        command: [String] = [],
        args: [String] = [],
        ports: [ContainerPort] = [],
        env: [EnvVar] = [],
        envFrom: [EnvFromSource] = [],
        resources: ResourceRequirements = .init(),
        livenessProbe: Probe? = nil,
        readinessProbe: Probe? = nil,
        startupProbe: Probe? = nil
    ) {
        self.name = name
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.command = command
        self.args = args
        self.ports = ports
        self.env = env
        self.envFrom = envFrom
        self.resources = resources
        self.livenessProbe = livenessProbe
        self.readinessProbe = readinessProbe
        self.startupProbe = startupProbe
    }

    /// The declared port called `name`, which is what a probe or Service `targetPort` written
    /// as a string refers to.
    public func port(named name: String) -> ContainerPort? {
        ports.first { $0.name == name }
    }
}

/// A port the container declares. Declaring is informational in Kubernetes, which is why a
/// probe on an undeclared port is only evidence, not proof, of a mistake.
public struct ContainerPort: Codable, Sendable, Hashable {
    public var name: String?
    public var containerPort: Int
    public var `protocol`: String?
    public var hostPort: Int?

    public init(name: String? = nil, containerPort: Int, protocol: String? = nil, hostPort: Int? = nil) {
        self.name = name
        self.containerPort = containerPort
        self.protocol = `protocol`
        self.hostPort = hostPort
    }
}

/// An environment variable: a literal `value` or a reference in `valueFrom`.
public struct EnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String?
    public var valueFrom: EnvVarSource?

    public init(name: String, value: String? = nil, valueFrom: EnvVarSource? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

/// Where a variable's value comes from when it is not a literal.
public struct EnvVarSource: Codable, Sendable, Hashable {
    public var configMapKeyRef: KeyReference?
    public var secretKeyRef: KeyReference?
    public var fieldRef: FieldReference?
    public var resourceFieldRef: ResourceFieldReference?

    public init(
        configMapKeyRef: KeyReference? = nil,
        secretKeyRef: KeyReference? = nil,
        fieldRef: FieldReference? = nil,
        resourceFieldRef: ResourceFieldReference? = nil
    ) {
        self.configMapKeyRef = configMapKeyRef
        self.secretKeyRef = secretKeyRef
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
    }
}

/// A key of a ConfigMap or Secret in the pod's namespace.
public struct KeyReference: Codable, Sendable, Hashable {
    public var name: String?
    public var key: String
    public var optional: Bool?

    public init(name: String? = nil, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// A field of the pod itself (`metadata.name`, `status.podIP`, …).
public struct FieldReference: Codable, Sendable, Hashable {
    public var fieldPath: String
    public var apiVersion: String?

    public init(fieldPath: String, apiVersion: String? = nil) {
        self.fieldPath = fieldPath
        self.apiVersion = apiVersion
    }
}

/// A container's own limit or request (`limits.memory`, …).
public struct ResourceFieldReference: Codable, Sendable, Hashable {
    public var containerName: String?
    public var resource: String
    public var divisor: String?

    public init(containerName: String? = nil, resource: String, divisor: String? = nil) {
        self.containerName = containerName
        self.resource = resource
        self.divisor = divisor
    }
}

/// A whole ConfigMap or Secret imported as variables.
public struct EnvFromSource: Codable, Sendable, Hashable {
    public var prefix: String?
    public var configMapRef: NameReference?
    public var secretRef: NameReference?

    public init(prefix: String? = nil, configMapRef: NameReference? = nil, secretRef: NameReference? = nil) {
        self.prefix = prefix
        self.configMapRef = configMapRef
        self.secretRef = secretRef
    }
}

/// A ConfigMap or Secret named in `envFrom`.
public struct NameReference: Codable, Sendable, Hashable {
    public var name: String?
    public var optional: Bool?

    public init(name: String? = nil, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }
}

/// Limits and requests as the raw quantities written (`"128Mi"`, `"500m"`); parse them with
/// `Quantity` when arithmetic is needed, so the original spelling survives for display.
public struct ResourceRequirements: Codable, Sendable, Hashable, EmptyDefault {
    @DefaultEmpty public var limits: [String: String]
    @DefaultEmpty public var requests: [String: String]

    public init(limits: [String: String] = [:], requests: [String: String] = [:]) {
        self.limits = limits
        self.requests = requests
    }

    public static var emptyDefault: Self { .init() }
}
