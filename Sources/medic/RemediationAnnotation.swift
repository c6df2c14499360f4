import Foundation
import MedicAudit
import MedicController
import MedicKube

/// What `medic approve` and `medic audit resolve` do with `--cluster`: put the person's word
/// on the action's Remediation object as annotations, exactly as `kubectl annotate` would. The
/// leader reads them on its next pass and records them in the audit log it alone writes, so
/// the word survives a failover and two processes never write one log.
enum RemediationAnnotation {
    /// Not done, and why: the object is not there, not in a phase that takes this word, or
    /// changed meanwhile (exit code 1, as for a local log that has no such pending action).
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// Sets `annotations` on action `id`'s object when its phase is one of `phases`; returns
    /// the object's `namespace/name`.
    static func annotate(_ id: String, _ annotations: [String: String], phases: [RemediationObject.Phase], person: String,
                         cluster: ClusterOptions) async throws -> String {
        try validate(person: person)
        let connection = try cluster.connect()
        let object = try await locate(id, reader: KubeReader(connection: connection))
        let name = "\(object.metadata.namespace ?? "")/\(object.metadata.name)"
        let phase = object.status?.phase ?? "unknown"
        guard phases.map(\.rawValue).contains(phase) else {
            throw Refusal(description: "medic: Remediation \(name) is \(phase), not \(phases.map(\.rawValue).joined(separator: " or ")): "
                          + "nothing to do (kubectl get remediation -n \(object.metadata.namespace ?? "") \(object.metadata.name) shows it)")
        }
        try await write(annotations, on: object, person: person, connection: connection)
        return name
    }

    /// Where action `id`'s object is: listed across namespaces, since an id does not say.
    static func locate(_ id: String, reader: KubeReader) async throws -> RemediationObject {
        let name = RemediationObject.name(for: id)
        let objects: [RemediationObject]
        do {
            objects = try await reader.list(RemediationObject.self).items.filter { $0.metadata.name == name }
        } catch {
            throw InputError(description: "medic: cannot list Remediation objects: \(error.description)")
        }
        guard let object = objects.first else {
            throw Refusal(description: "medic: no Remediation object \(name) in any namespace: check the id with "
                          + "kubectl get remediations -A")
        }
        guard objects.count == 1 else {
            let namespaces = objects.compactMap(\.metadata.namespace).sorted().joined(separator: ", ")
            throw Refusal(description: "medic: \(name) is in several namespaces (\(namespaces)); annotate the one you mean "
                          + "with kubectl annotate")
        }
        return object
    }

    /// Sets `annotations` on `object`, guarded by the resourceVersion it was read at, under the
    /// field manager `medic-cli/PERSON`: the leader names that manager as who approved.
    static func write(_ annotations: [String: String], on object: RemediationObject, person: String,
                      connection: ClusterConnection) async throws {
        let name = "\(object.metadata.namespace ?? "")/\(object.metadata.name)"
        let writer = KubeWriter(connection: connection, fieldManager: "medic-cli/\(person)")
        let patch: [String: Any] = ["metadata": ["annotations": annotations,
                                                 "resourceVersion": object.metadata.resourceVersion ?? ""]]
        do {
            let body = try JSONSerialization.data(withJSONObject: patch, options: [.sortedKeys])
            _ = try await writer.patch(RemediationObject.self, name: object.metadata.name, namespace: object.metadata.namespace,
                                       patch: body, as: .merge)
        } catch let error as KubeAPIError where error.code == .conflict {
            throw Refusal(description: "medic: Remediation \(name) changed while it was read; run the command again")
        } catch {
            throw InputError(description: "medic: cannot annotate Remediation \(name): \(error)")
        }
    }

    /// `--as` is put in a field manager's name: printable ASCII, and short.
    static func validate(person: String) throws(InputError) {
        guard person.count <= 100, person.unicodeScalars.allSatisfy({ (0x21...0x7e).contains($0.value) }) else {
            throw InputError(description: "medic: with --cluster the name goes into the object's field manager: "
                             + "use up to 100 printable ASCII characters without spaces, not \"\(person)\"")
        }
    }
}
