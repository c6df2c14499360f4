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
    /// changes nothing. A pointer step into an array is an index.
    init?(object: Data, action: Action) {
        guard case let .restore(pointer, test) = action.descriptor.reversal,
              let root = try? JSONSerialization.jsonObject(with: object, options: [.fragmentsAllowed]),
              let node = Self.node(at: pointer, in: root),
              let data = try? JSONSerialization.data(withJSONObject: SecretSeal.seal(node), options: Self.writing)
        else { return nil }
        self.pointer = pointer
        value = String(decoding: data, as: UTF8.self)
        self.test = test?.text
    }

    static let writing: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]

    /// The value at JSON Pointer `pointer` in `root`; a step into an array is an index.
    static func node(at pointer: String, in root: Any) -> Any? {
        var node = root
        for key in pointer.split(separator: "/") {
            if let array = node as? [Any] {
                guard let index = Int(key), array.indices.contains(index) else { return nil }
                node = array[index]
                continue
            }
            guard let next = (node as? [String: Any])?[String(key)] else { return nil }
            node = next
        }
        return node
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
    /// action left there: a `test` of it, then one `replace`. A 422 then means someone changed
    /// it since, and the rollback is refused instead of overwriting their change. nil when
    /// there is nothing to test against.
    func rollbackRequest(for target: ObjectRef, over written: String?) -> KubeRawRequest? {
        guard let written, let resource = KubeResource.known(kind: target.kind) else { return nil }
        let body = #"[{"op":"test","path":"\#(pointer)","value":\#(written)},{"op":"replace","path":"\#(pointer)","value":\#(value)}]"#
        return KubeRawRequest(method: "PATCH", path: resource.path(namespace: target.namespace, name: target.name),
                              query: [("fieldManager", "medic")], contentType: KubeWriter.PatchType.json.rawValue,
                              body: Data(body.utf8), resource: resource, namespace: target.namespace, name: target.name)
    }
}
