/// JSON patch (RFC 6902) with the behaviour of evanphx/json-patch v4, the library behind the
/// API server: `kubectl rollout undo` sends one, replacing `/spec/template` and
/// `/metadata/annotations`. Operations apply in order; the first failure rejects the whole patch.
enum JSONPatch {
    static func apply(_ patch: JSON, to document: JSON) throws(PatchError) -> JSON {
        let operations: [JSON]
        switch patch {
        case .null: return document
        case .array(let items): operations = items
        default: throw .badRequest("json: cannot unmarshal \(patch.jsonKindName) into Go value of type jsonpatch.Patch")
        }
        for operation in operations {
            switch operation {
            case .object, .null: continue
            default:
                throw .badRequest("json: cannot unmarshal \(operation.jsonKindName) into Go value of type jsonpatch.Operation")
            }
        }
        var document = document
        for operation in operations {
            do {
                try Operation(operation.object ?? [:]).apply(to: &document)
            } catch {
                throw .rejected(error.description)
            }
        }
        return document
    }
}

/// One step of a JSON patch; failures carry the library's wording as the error's detail.
private struct Operation {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fields: [String: JSON]

    init(_ fields: [String: JSON]) { self.fields = fields }

    var kind: String { fields["op"]?.string ?? "unknown" }
    /// A missing `value` means `null`, as in the Go library.
    var value: JSON { fields["value"] ?? .null }

    func pointer(_ field: String) throws(Failure) -> Pointer {
        guard let text = fields[field]?.string else {
            throw Failure(description: "\(kind) operation failed to decode \(field): missing value")
        }
        return Pointer(text)
    }

    func apply(to document: inout JSON) throws(Failure) {
        switch kind {
        case "add":
            let path = try pointer("path")
            try path.edit(&document, operation: "add") { container, key throws(Failure) in
                try container.insert(value, at: key, path: path)
            }
        case "remove":
            let path = try pointer("path")
            _ = try path.edit(&document, operation: "remove") { container, key throws(Failure) in
                try container.remove(at: key, path: path)
            }
        case "replace":
            let path = try pointer("path")
            try path.edit(&document, operation: "replace") { container, key throws(Failure) in
                _ = try container.remove(at: key, path: path, operation: "replace")
                try container.insert(value, at: key, path: path)
            }
        case "move":
            let from = try pointer("from")
            let moved = try from.edit(&document, operation: "move", missing: "from path") { container, key throws(Failure) in
                try container.remove(at: key, path: from, operation: "move")
            }
            let path = try pointer("path")
            try path.edit(&document, operation: "move", missing: "destination path") { container, key throws(Failure) in
                try container.insert(moved, at: key, path: path)
            }
        case "copy":
            let from = try pointer("from")
            let copied = try from.read(document, operation: "copy", missing: "from path")
            let path = try pointer("path")
            try path.edit(&document, operation: "copy", missing: "destination path") { container, key throws(Failure) in
                try container.insert(copied, at: key, path: path)
            }
        case "test":
            let path = try pointer("path")
            let actual = try path.read(document, operation: "test", missing: "path", allowMissingKey: true)
            guard actual == value else {
                throw Failure(description: "testing value \(path.text) failed: test failed")
            }
        default:
            throw Failure(description: "Unexpected kind: \(kind)")
        }
    }
}

/// A JSON pointer (RFC 6901): `/`-separated tokens with `~1` for `/` and `~0` for `~`.
private struct Pointer {
    let text: String
    /// Nil when the text is not a pointer to a member (it must start with `/`).
    let tokens: [String]?

    init(_ text: String) {
        self.text = text
        if text.hasPrefix("/") {
            tokens = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
                $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            }
        } else {
            tokens = nil
        }
    }

    /// Runs `body` on the container holding the pointed-to member and writes it back.
    @discardableResult
    func edit<Result>(
        _ document: inout JSON, operation: String, missing: String = "path",
        _ body: (inout JSON, String) throws(Operation.Failure) -> Result
    ) throws(Operation.Failure) -> Result {
        guard let tokens, let key = tokens.last,
              let result = try Pointer.descend(&document, through: tokens.dropLast(), key: key, body)
        else {
            throw Operation.Failure(description: "\(operation) operation does not apply: doc is missing \(missing): \(text)")
        }
        return result
    }

    /// The pointed-to value. With `allowMissingKey` an absent last member reads as `null`, as
    /// the `test` operation of the Go library treats it.
    func read(_ document: JSON, operation: String, missing: String, allowMissingKey: Bool = false) throws(Operation.Failure) -> JSON {
        var copy = document
        return try edit(&copy, operation: operation, missing: missing) { container, key throws(Operation.Failure) -> JSON in
            if case .object(let fields) = container, fields[key] == nil, allowMissingKey { return .null }
            return try container.member(key, path: self)
        }
    }

    private static func descend<Result>(
        _ node: inout JSON, through parents: ArraySlice<String>, key: String,
        _ body: (inout JSON, String) throws(Operation.Failure) -> Result
    ) throws(Operation.Failure) -> Result? {
        guard let token = parents.first else {
            switch node {
            case .object, .array: return try body(&node, key)
            default: return nil
            }
        }
        switch node {
        case .object(var fields):
            guard var child = fields[token] else { return nil }
            node = .null
            defer { node = .object(fields) }
            let result = try descend(&child, through: parents.dropFirst(), key: key, body)
            fields[token] = child
            return result
        case .array(var items):
            guard let index = JSON.arrayIndex(token, count: items.count, allowEnd: false) else { return nil }
            node = .null
            defer { node = .array(items) }
            let result = try descend(&items[index], through: parents.dropFirst(), key: key, body)
            return result
        default:
            return nil
        }
    }
}

private extension JSON {
    /// Go's `strconv.Atoi` plus the library's negative indices (counted from the end).
    static func arrayIndex(_ token: String, count: Int, allowEnd: Bool) -> Int? {
        guard let index = Int(token) else { return nil }
        let limit = allowEnd ? count + 1 : count
        if index >= limit || index < -limit { return nil }
        return index < 0 ? index + limit : index
    }

    func member(_ key: String, path: Pointer) throws(Operation.Failure) -> JSON {
        switch self {
        case .object(let fields):
            guard let value = fields[key] else {
                throw Operation.Failure(description: "unable to get nonexistent key: \(key): missing value")
            }
            return value
        case .array(let items):
            guard let index = JSON.arrayIndex(key, count: items.count, allowEnd: false) else {
                throw Operation.Failure(description: "Unable to access invalid index: \(key): invalid index referenced")
            }
            return items[index]
        default:
            throw Operation.Failure(description: "doc is missing path: \(path.text)")
        }
    }

    mutating func insert(_ value: JSON, at key: String, path: Pointer) throws(Operation.Failure) {
        switch self {
        case .object(var fields):
            fields[key] = value
            self = .object(fields)
        case .array(var items):
            if key == "-" {
                items.append(value)
            } else if let index = JSON.arrayIndex(key, count: items.count, allowEnd: true) {
                items.insert(value, at: index)
            } else {
                throw Operation.Failure(
                    description: "error in add for path: '\(path.text)': Unable to access invalid index: \(key): invalid index referenced"
                )
            }
            self = .array(items)
        default:
            throw Operation.Failure(description: "doc is missing path: \(path.text)")
        }
    }

    mutating func remove(at key: String, path: Pointer, operation: String = "remove") throws(Operation.Failure) -> JSON {
        switch self {
        case .object(var fields):
            guard let removed = fields.removeValue(forKey: key) else {
                throw Operation.Failure(description: operation == "replace"
                    ? "replace operation does not apply: doc is missing key: \(path.text)"
                    : "error in \(operation) for path: '\(path.text)': Unable to remove nonexistent key: \(key): missing value")
            }
            self = .object(fields)
            return removed
        case .array(var items):
            guard let index = JSON.arrayIndex(key, count: items.count, allowEnd: false) else {
                throw Operation.Failure(description: operation == "replace"
                    ? "replace operation does not apply: doc is missing key: \(path.text)"
                    : "error in \(operation) for path: '\(path.text)': Unable to access invalid index: \(key): invalid index referenced")
            }
            let removed = items.remove(at: index)
            self = .array(items)
            return removed
        default:
            throw Operation.Failure(description: "doc is missing path: \(path.text)")
        }
    }
}
