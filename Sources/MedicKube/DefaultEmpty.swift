/// A value that has an "empty" form the Kubernetes API leaves out of its JSON (omitempty).
///
/// Lists, maps and status blocks conform so that models expose them non-optional: code that
/// diagnoses a cluster reads `pod.status.containerStatuses` without unwrapping, and an absent
/// field and an empty one mean the same thing, as they do on the server.
public protocol EmptyDefault: Equatable {
    /// The value an absent or `null` field decodes to.
    static var emptyDefault: Self { get }
}

extension Array: EmptyDefault where Element: Equatable {
    public static var emptyDefault: Self { [] }
}

extension Dictionary: EmptyDefault where Value: Equatable {
    public static var emptyDefault: Self { [:] }
}

/// Decodes an absent or `null` field as the empty value and leaves an empty value out when
/// encoding, matching the API server's omitempty behaviour.
///
/// Only the container overloads below give it that behaviour; on its own it codes as the
/// wrapped value.
@propertyWrapper
public struct DefaultEmpty<Value: EmptyDefault & Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? .emptyDefault : try container.decode(Value.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// Chosen by the synthesized `init(from:)` of every model with a `@DefaultEmpty` property.
    public func decode<Value>(_ type: DefaultEmpty<Value>.Type, forKey key: Key) throws -> DefaultEmpty<Value> {
        DefaultEmpty(wrappedValue: try decodeIfPresent(Value.self, forKey: key) ?? .emptyDefault)
    }
}

extension KeyedEncodingContainer {
    /// Chosen by the synthesized `encode(to:)`: empty values are omitted, as the API server does.
    public mutating func encode<Value>(_ value: DefaultEmpty<Value>, forKey key: Key) throws {
        guard value.wrappedValue != .emptyDefault else { return }
        try encode(value.wrappedValue, forKey: key)
    }
}
