/// A namespace; its labels and annotations say what may happen in it (e.g. chaos allowed).
public struct Namespace: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    @DefaultEmpty public var status: NamespaceStatus

    public init(apiVersion: String? = "v1", kind: String? = "Namespace", metadata: ObjectMeta, status: NamespaceStatus = .init()) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.status = status
    }
}

public struct NamespaceStatus: Codable, Sendable, Hashable, EmptyDefault {
    /// `Active` or `Terminating`.
    public var phase: String?

    public init(phase: String? = nil) {
        self.phase = phase
    }

    public static var emptyDefault: Self { .init() }
}
