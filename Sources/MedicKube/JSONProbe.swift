import Foundation

/// A second, error-path-only reading of a snapshot: walks to one JSON path and reports what is
/// there, plus the identity (kind, namespace, name) of the object at the item level. Keeping
/// this out of the main decode keeps the fast path free of bookkeeping.
struct JSONProbe: Decodable {
    /// A JSON value described for an error message.
    enum Found: CustomStringConvertible {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case object
        case array

        var description: String {
            switch self {
            case .null: "null"
            case .bool(let value): "the boolean \(value)"
            case .number(let value):
                value == value.rounded() && abs(value) < 1e15 ? "the number \(Int64(value))" : "the number \(value)"
            case .string(let value): "the string \(KubeJSON.quoted(value))"
            case .object: "an object"
            case .array: "an array"
            }
        }
    }

    var rootKind: String?
    var kind: String?
    var namespace: String?
    var name: String?
    var found: Found?

    /// Reads `data` again, following `path`; `itemDepth` is where along the path the object
    /// whose identity to report sits (nil: no identity wanted).
    static func run(_ data: Data, path: [JSONPathStep], itemDepth: Int?) -> JSONProbe {
        let decoder = JSONDecoder()
        decoder.userInfo[pathKey] = Request(path: path, itemDepth: itemDepth)
        return (try? decoder.decode(JSONProbe.self, from: data)) ?? JSONProbe()
    }

    /// `Pod production/web`, from what could be read; element kinds of typed lists are filled in.
    func identity(elementKindFromList: Bool) -> String? {
        var kind = kind
        if kind == nil, elementKindFromList, let rootKind, rootKind.hasSuffix("List"), rootKind != "List" {
            kind = String(rootKind.dropLast(4))
        }
        let place = [namespace, name].compactMap(\.self).joined(separator: "/")
        let parts = [kind, place.isEmpty ? nil : place].compactMap(\.self)
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    private struct Request: Sendable {
        var path: [JSONPathStep]
        var itemDepth: Int?
    }

    private static let pathKey = CodingUserInfoKey(rawValue: "medic.jsonProbe.path")!

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Consumes one array element without looking at it.
    private struct Skip: Decodable {
        init(from decoder: any Decoder) {}
    }

    private init() {}

    init(from decoder: any Decoder) throws {
        guard let request = decoder.userInfo[Self.pathKey] as? Request else { return }
        if let root = try? decoder.container(keyedBy: AnyKey.self) {
            rootKind = try? root.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "kind"))
        }
        try walk(decoder, request.path[...], depth: 0, itemDepth: request.itemDepth)
    }

    private mutating func walk(_ decoder: any Decoder, _ path: ArraySlice<JSONPathStep>, depth: Int, itemDepth: Int?) throws {
        if depth == itemDepth {
            readIdentity(decoder)
        }
        guard let step = path.first else {
            found = Self.describe(decoder)
            return
        }
        switch step {
        case .key(let key):
            let container = try decoder.container(keyedBy: AnyKey.self)
            let codingKey = AnyKey(stringValue: key)
            guard container.contains(codingKey) else { return }
            try walk(container.superDecoder(forKey: codingKey), path.dropFirst(), depth: depth + 1, itemDepth: itemDepth)
        case .index(let index):
            var container = try decoder.unkeyedContainer()
            for _ in 0..<index where !container.isAtEnd {
                if try !container.decodeNil() {
                    _ = try container.decode(Skip.self)
                }
            }
            guard !container.isAtEnd else { return }
            try walk(container.superDecoder(), path.dropFirst(), depth: depth + 1, itemDepth: itemDepth)
        }
    }

    private mutating func readIdentity(_ decoder: any Decoder) {
        guard let object = try? decoder.container(keyedBy: AnyKey.self) else { return }
        kind = try? object.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "kind"))
        guard let metadata = try? object.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey(stringValue: "metadata"))
        else { return }
        namespace = try? metadata.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "namespace"))
        name = try? metadata.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "name"))
    }

    private static func describe(_ decoder: any Decoder) -> Found? {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { return .null }
            if let value = try? single.decode(Bool.self) { return .bool(value) }
            if let value = try? single.decode(String.self) { return .string(value) }
            if let value = try? single.decode(Double.self) { return .number(value) }
        }
        if (try? decoder.container(keyedBy: AnyKey.self)) != nil { return .object }
        if (try? decoder.unkeyedContainer()) != nil { return .array }
        return nil
    }
}
