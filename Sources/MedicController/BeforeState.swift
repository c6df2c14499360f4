import Foundation
import MedicKube
import MedicRemediation

/// The part of an object an action changes, as it was just before: kept in the action's
/// intent record, so a rollback restores exactly what was there (also after a restart), and
/// a human reading the log sees what the change replaced.
struct BeforeState: Sendable, Equatable {
    /// JSON Pointer into the object: `/spec/template`, `/spec/selector`, `/spec/replicas`.
    var pointer: String
    /// The value at `pointer`, as JSON text.
    var value: String

    /// What `action` changes, or nil when it cannot be put back (`delete-pod`) or changes nothing.
    static func pointer(for action: Action) -> String? {
        switch action {
        case .rolloutRestart, .setEnv, .unsetEnv, .setImage, .rolloutUndo, .setResources, .patchProbe: "/spec/template"
        case .patchSelector: "/spec/selector"
        case .scale: "/spec/replicas"
        case .deletePod, .notify: nil
        }
    }

    /// Reads the value `action` will change out of the live object's JSON.
    init?(object: Data, action: Action) {
        guard let pointer = Self.pointer(for: action),
              var node = try? JSONSerialization.jsonObject(with: object, options: [.fragmentsAllowed]) else { return nil }
        for key in pointer.split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(key)] else { return nil }
            node = next
        }
        guard let data = try? JSONSerialization.data(withJSONObject: node, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return nil }
        self.pointer = pointer
        value = String(decoding: data, as: UTF8.self)
    }

    init(pointer: String, value: String) {
        self.pointer = pointer
        self.value = value
    }

    /// `{"pointer":"/spec/template","value":{…}}`, the form kept in the intent record.
    var recordText: String {
        #"{"pointer":"\#(pointer)","value":\#(value)}"#
    }

    init?(recordText: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(recordText.utf8)) as? [String: Any],
              let pointer = object["pointer"] as? String, let value = object["value"],
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return nil }
        self.init(pointer: pointer, value: String(decoding: data, as: UTF8.self))
    }

    /// The JSON Patch that puts the value back on `target`.
    func rollbackRequest(for target: ObjectRef) -> KubeRawRequest? {
        guard let resource = KubeResource.builtIn(kind: target.kind) else { return nil }
        let body = #"[{"op":"replace","path":"\#(pointer)","value":\#(value)}]"#
        return KubeRawRequest(method: "PATCH", path: resource.path(namespace: target.namespace, name: target.name),
                              query: [("fieldManager", "medic")], contentType: KubeWriter.PatchType.json.rawValue,
                              body: Data(body.utf8), resource: resource, namespace: target.namespace, name: target.name)
    }
}
