import Foundation
import MedicKube

/// Who set the `medic.io/approve` annotation that approved a proposal or an escalation, read
/// from the object's `metadata.managedFields` as the API server records every write: the field
/// manager that owns that annotation (`kubectl-annotate` for `kubectl annotate`), with the
/// operation and time. Read when an annotation approves, never from the view (which does not
/// keep managedFields, to stay small).
enum AnnotationApprover {
    /// "annotation medic.io/approve on Deployment shop/api, set by kubectl-annotate (Update at
    /// 2026-03-10T12:00:00Z)", or with why the manager is unknown.
    static func describe(_ target: ObjectRef, reader: KubeReader) async -> String {
        let prefix = "annotation \(LiveTarget.approvalAnnotation) on \(target)"
        guard let resource = KubeResource.known(kind: target.kind) else { return prefix + " (field manager unknown: kind not read)" }
        do {
            let object = try JSON(parsing: try await reader.getJSON(resource, name: target.name, namespace: target.namespace))
            guard let manager = manager(in: object) else { return prefix + " (no field manager owns it)" }
            return prefix + ", set by \(manager)"
        } catch {
            return prefix + " (field manager unknown: \(error))"
        }
    }

    /// The managedFields entry that owns `annotation` (the approval's by default), as
    /// `manager (Operation at time)`.
    static func manager(in object: JSON, annotation: String = LiveTarget.approvalAnnotation) -> String? {
        let entries = object[path: ["metadata", "managedFields"]]?.array ?? []
        let owner = entries.last { entry in
            entry[path: ["fieldsV1", "f:metadata", "f:annotations", "f:\(annotation)"]] != nil
        }
        guard let owner, let name = owner["manager"]?.string else { return nil }
        let details = [owner["operation"]?.string, owner["time"]?.string.map { "at \($0)" }].compactMap { $0 }
        return details.isEmpty ? name : "\(name) (\(details.joined(separator: " ")))"
    }
}
