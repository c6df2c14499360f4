/// One `NAME=value` pair for `set-env`. A list of these keeps the order the runbook wrote,
/// which is the order kubectl appends new variables in.
public struct EnvAssignment: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
