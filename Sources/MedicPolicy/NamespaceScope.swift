/// Which namespaces medic may act in. A namespace must match `include` and no `exclude`;
/// `kube-system` is excluded unless a policy writes its own `exclude` list.
public struct NamespaceScope: Sendable, Equatable {
    public var include: [Glob]
    public var exclude: [Glob]

    public static let defaultExclude = [Glob("kube-system")]

    public init(include: [Glob] = [Glob("*")], exclude: [Glob] = NamespaceScope.defaultExclude) {
        self.include = include
        self.exclude = exclude
    }

    /// True when medic may act in `namespace`.
    public func allows(_ namespace: String) -> Bool { refusal(for: namespace) == nil }

    /// nil when medic may act in `namespace`, else why not.
    func refusal(for namespace: String) -> String? {
        if let pattern = exclude.first(where: { $0.matches(namespace) }) {
            return "namespace \(namespace) is excluded by namespaces.exclude (\(pattern.pattern))"
        }
        if !include.anyMatches(namespace) {
            return "namespace \(namespace) is not in namespaces.include (\(include.listed))"
        }
        return nil
    }
}
