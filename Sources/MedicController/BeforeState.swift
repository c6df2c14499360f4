import Foundation
import MedicKube
import MedicRemediation

/// The part of an object an action changes, as it was just before: kept in the action's
/// intent record, so a rollback restores exactly what was there (also after a restart), and
/// a human reading the log sees what the change replaced.
struct BeforeState: Sendable, Equatable {
    /// JSON Pointer into the object: `/spec/template`, `/spec/selector`, `/spec/replicas`,
    /// `/spec/ports/0/targetPort`.
    var pointer: String
    /// The value at `pointer`, as JSON text.
    var value: String
    /// The value the action writes at `pointer`, as JSON text, for actions that guard their own
    /// change with a JSON Patch `test` op (`Reversal.restore`'s `test`): the rollback tests it too, so
    /// it puts the old value back only over medic's change, never over a later human edit.
    var test: String?

    /// Reads the value `action` will change (its descriptor's `reversal`) out of the live
    /// object's JSON, secret env values sealed (`SecretSeal`); nil when it cannot be put back or
    /// changes nothing. Only that value is kept, never the rest of the object: a field the
    /// action adds is kept as `null`, which the rollback removes again.
    init?(object: Data, action: Action) {
        guard let root = try? JSONSerialization.jsonObject(with: object, options: [.fragmentsAllowed]),
              let (pointer, test) = Self.pointer(for: action.descriptor, in: root),
              let value = Self.sealedValue(at: pointer, in: root, keeping: Self.keptVariables(of: action))
        else { return nil }
        self.pointer = pointer
        self.value = value
        self.test = test?.text
    }

    /// Where `descriptor`'s reversal points in `root` (the live object), with the value it
    /// tests for: a container field resolves to that container's index by name, or to the whole
    /// containers list when the action changes every container and there are several.
    static func pointer(for descriptor: any ActionDescriptor, in root: Any) -> (String, JSON?)? {
        switch descriptor.reversal {
        case .restore(let pointer, let test):
            return (pointer, test)
        case .restoreContainerField(let field):
            let list = "/spec/template/spec/containers"
            guard let containers = node(at: list, in: root) as? [Any], !containers.isEmpty else { return nil }
            guard let name = descriptor.containerName else {
                return (containers.count == 1 ? "\(list)/0/\(field)" : list, nil)
            }
            guard let index = containers.firstIndex(where: { ($0 as? [String: Any])?["name"] as? String == name }) else { return nil }
            return ("\(list)/\(index)/\(field)", nil)
        case .irreversible, .nothingChanged:
            return nil
        }
    }

    /// The value at `pointer` in `root` as JSON text, secret env values sealed (sealing reads
    /// the container each variable belongs to, so the whole object is sealed first); `null`
    /// when an object has no such member (a field the action adds), nil when the pointer
    /// leads past the end of an array or through a value that is not an object.
    static func sealedValue(at pointer: String, in root: Any, keeping: Set<String>? = nil) -> String? {
        guard let node = Self.node(at: pointer, in: SecretSeal.seal(root, keeping: keeping), absent: NSNull()),
              let data = try? JSONSerialization.data(withJSONObject: node, options: Self.writing) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The same, read from an object's JSON (the API server's answer to the action).
    static func sealedValue(at pointer: String, in object: Data, keeping: Set<String>? = nil) -> String? {
        (try? JSONSerialization.jsonObject(with: object, options: [.fragmentsAllowed])).flatMap {
            sealedValue(at: pointer, in: $0, keeping: keeping)
        }
    }

    /// The variables whose values an env action's record keeps (`SecretSeal.seal`): the ones
    /// it sets or removes; nil for any other action, whose record keeps all but secret ones.
    static func keptVariables(of action: Action) -> Set<String>? {
        action.descriptor.envNames.map(Set.init)
    }

    static let writing: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]

    /// The value at JSON Pointer `pointer` in `root`; a step into an array is an index. When
    /// an object lacks a member on the way, `absent` (nil unless given).
    static func node(at pointer: String, in root: Any, absent: Any? = nil) -> Any? {
        var node = root
        for key in tokens(pointer) {
            if let array = node as? [Any] {
                guard let index = Int(key), array.indices.contains(index) else { return nil }
                node = array[index]
                continue
            }
            guard let object = node as? [String: Any] else { return nil }
            guard let next = object[key] else { return absent }
            node = next
        }
        return node
    }

    /// `root` with the value at `pointer` replaced by `value`; nil when the place is not
    /// there (an index past the end, a step through a value that is not an object).
    static func replacing(at pointer: String, in root: Any, with value: Any) -> Any? {
        func replace(_ node: Any, _ path: ArraySlice<String>) -> Any? {
            guard let key = path.first else { return value }
            if var array = node as? [Any] {
                guard let index = Int(key), array.indices.contains(index),
                      let child = replace(array[index], path.dropFirst()) else { return nil }
                array[index] = child
                return array
            }
            guard var object = node as? [String: Any] else { return nil }
            if path.count == 1 {
                object[key] = value
                return object
            }
            guard let next = object[key], let child = replace(next, path.dropFirst()) else { return nil }
            object[key] = child
            return object
        }
        return replace(root, tokens(pointer)[...])
    }

    /// RFC 6901's tokens: `~1` is `/` and `~0` is `~` (the restart annotation's key has a `/`).
    private static func tokens(_ pointer: String) -> [String] {
        pointer.split(separator: "/").map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    init(pointer: String, value: String, test: String? = nil) {
        self.pointer = pointer
        self.value = value
        self.test = test
    }

    /// `{"pointer":"/spec/template","value":{…}}`, the form kept in the intent record, with
    /// `"test":…` after `value` when the rollback tests for the action's own value.
    var recordText: String {
        #"{"pointer":"\#(pointer)","value":\#(value)"# + (test.map { #","test":\#($0)"# } ?? "") + "}"
    }

    init?(recordText: String) {
        let options = Self.writing
        guard let object = try? JSONSerialization.jsonObject(with: Data(recordText.utf8)) as? [String: Any],
              let pointer = object["pointer"] as? String, let value = object["value"],
              let data = try? JSONSerialization.data(withJSONObject: value, options: options)
        else { return nil }
        var test: String?
        if let expected = object["test"] {
            guard let data = try? JSONSerialization.data(withJSONObject: expected, options: options) else { return nil }
            test = String(decoding: data, as: UTF8.self)
        }
        self.init(pointer: pointer, value: String(decoding: data, as: UTF8.self), test: test)
    }

    /// The JSON Patch that puts the value back on `target` only over `written`, the value the
    /// action left there: a `test` of it, then one `replace` (or a `remove`, when nothing was
    /// there before). A 422 then means someone changed it since, and the rollback is refused
    /// instead of overwriting their change. nil when there is nothing to test against: no
    /// record of what was written, or the action left the place empty.
    func rollbackRequest(for target: ObjectRef, over written: String?) -> KubeRawRequest? {
        guard let written, written != "null", let resource = KubeResource.known(kind: target.kind) else { return nil }
        let put = value == "null" ? #"{"op":"remove","path":"\#(pointer)"}"# : #"{"op":"replace","path":"\#(pointer)","value":\#(value)}"#
        let body = #"[{"op":"test","path":"\#(pointer)","value":\#(written)},\#(put)]"#
        return KubeRawRequest(method: "PATCH", path: resource.path(namespace: target.namespace, name: target.name),
                              query: [("fieldManager", "medic")], contentType: KubeWriter.PatchType.json.rawValue,
                              body: Data(body.utf8), resource: resource, namespace: target.namespace, name: target.name)
    }
}
