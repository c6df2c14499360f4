import Foundation

/// Why a snapshot file could not be read, pointing at the file, the item and the field the way
/// a person would go looking for it:
/// `cluster.json: items[17] (Pod production/web-7d9f-abcde): spec.containers[0].ports[0].containerPort: expected a number, found the string "http"`.
public struct SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The file could not be read at all.
        case unreadableFile
        /// The bytes are not JSON; `line` and `column` say where it stops being JSON.
        case malformedJSON
        /// Valid JSON that is not the Kubernetes object it claims to be.
        case invalidContent
    }

    public var code: Code
    /// The file name (or other label) the caller gave.
    public var source: String
    /// 1-based position of a JSON syntax error.
    public var line: Int?
    public var column: Int?
    /// The item within a List, with what could be read of its identity: `items[17] (Pod production/web)`.
    public var item: String?
    /// The offending field below the item, in JSON form: `spec.containers[0].image`.
    public var fieldPath: String?
    /// What was wrong: `expected a number, found the string "http"`.
    public var problem: String

    public init(
        code: Code,
        source: String,
        line: Int? = nil,
        column: Int? = nil,
        item: String? = nil,
        fieldPath: String? = nil,
        problem: String
    ) {
        self.code = code
        self.source = source
        self.line = line
        self.column = column
        self.item = item
        self.fieldPath = fieldPath
        self.problem = problem
    }

    public var description: String {
        var parts = [source]
        if let line, let column {
            parts[0] += ":\(line):\(column)"
        }
        if let item {
            parts.append(item)
        }
        if let fieldPath, !fieldPath.isEmpty {
            parts.append(fieldPath)
        }
        parts.append(problem)
        return parts.joined(separator: ": ")
    }
}

extension SnapshotError {
    /// Translates a decoding failure, reading `data` again to name the item and the value found.
    init(decoding error: DecodingError, in data: Data, source: String) {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
           let syntax = JSONSyntaxError(in: data) {
            self.init(
                code: .malformedJSON,
                source: source,
                line: syntax.line,
                column: syntax.column,
                problem: "malformed JSON: \(syntax.problem)"
            )
            return
        }

        let path: [JSONPathStep]
        let problem: String
        switch error {
        case .keyNotFound(let key, let context):
            path = (context.codingPath + [key]).map(JSONPathStep.init)
            problem = "required field is missing"
        case .valueNotFound(let type, let context):
            path = context.codingPath.map(JSONPathStep.init)
            problem = "expected \(Self.expectation(for: type)), found null"
        case .typeMismatch(let type, let context):
            path = context.codingPath.map(JSONPathStep.init)
            let found = JSONProbe.run(data, path: path, itemDepth: nil).found
            problem = "expected \(Self.expectation(for: type)), found \(found?.description ?? "something else")"
        case .dataCorrupted(let context):
            path = context.codingPath.map(JSONPathStep.init)
            problem = context.debugDescription
        @unknown default:
            path = []
            problem = String(describing: error)
        }

        let itemDepth = path.count >= 2 && path[0] == .key("items") && path[1].isIndex ? 2 : 0
        let probe = JSONProbe.run(data, path: Array(path.prefix(itemDepth)), itemDepth: itemDepth)
        var item: String?
        if itemDepth == 2, case .index(let index) = path[1] {
            item = "items[\(index)]"
        }
        if let identity = probe.identity(elementKindFromList: itemDepth == 2) {
            item = item.map { "\($0) (\(identity))" } ?? "(\(identity))"
        }
        self.init(
            code: .invalidContent,
            source: source,
            item: item,
            fieldPath: JSONPathStep.format(path.dropFirst(itemDepth)),
            problem: problem
        )
    }

    /// What a Swift type looks like in JSON terms.
    private static func expectation(for type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type, is Double.Type, is Float.Type: return "a number"
        case is String.Type, is Date.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is IntOrString.Type: return "a number or a string"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") && !name.contains(":") {
                return "an array"
            }
            return "an object"
        }
    }
}

/// One step of a field path: an object key or an array index.
enum JSONPathStep: Hashable, Sendable, CustomStringConvertible {
    case key(String)
    case index(Int)

    init(_ key: any CodingKey) {
        if let index = key.intValue {
            self = .index(index)
        } else {
            self = .key(key.stringValue)
        }
    }

    var isIndex: Bool {
        if case .index = self { true } else { false }
    }

    /// `[3]`, `.name`, or `["app.kubernetes.io/name"]` for keys that are not plain identifiers.
    var description: String {
        switch self {
        case .index(let index):
            return "[\(index)]"
        case .key(let key):
            let plain = !key.isEmpty && key.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-"
            }
            return plain ? ".\(key)" : "[\(KubeJSON.quoted(key))]"
        }
    }

    /// `spec.containers[0].ports[0].containerPort`, without a leading dot.
    static func format(_ steps: some Collection<JSONPathStep>) -> String {
        let text = steps.map(\.description).joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
}
