import Foundation
import MedicAudit
import MedicKube

/// Keeps one `Remediation` object per action beside its target, following the audit log:
/// created with the action's first record, replaced with each later one (the intent before the
/// request leaves), so the cluster holds what a medic on an empty disk needs to know.
/// `load` reads them all back for the ledger; `collect` deletes settled ones past retention.
public actor RemediationStore {
    private let reader: KubeReader
    private var writer: KubeWriter
    /// Each action's object as last written or read (its resourceVersion is the precondition
    /// of the next replace).
    private var objects: [String: RemediationObject] = [:]
    /// Each action's record lines, including any a failed write left out of its object: the
    /// next write carries them.
    private var lines: [String: [String]] = [:]
    /// The finding record that opened each incident: the first line of every object of an
    /// action under it, so a ledger rebuilt from the objects knows the incident to verify.
    private var findings: [String: String] = [:]
    /// Mirror writes that failed since the pass last asked (`takeFailures`).
    private var failures: [String] = []

    public init(connection: ClusterConnection) {
        reader = KubeReader(connection: connection)
        writer = KubeWriter(connection: connection)
    }

    /// Whether the cluster serves `remediations.medic.io` (its CRD is installed).
    public static func isServed(connection: ClusterConnection) async throws(KubeAPIError) -> Bool {
        do {
            _ = try await KubeReader(connection: connection).list(RemediationObject.self, selection: .init(labelSelector: "medic.io/probe"))
            return true
        } catch where error.code == .notFound {
            return false
        }
    }

    /// Records `record` (one with an action id, or the finding that opens an incident) in its
    /// action's object, with the state `ledger` holds after it. `fence` is asked before the write, as for every write of a pass.
    public func mirror(_ record: AuditRecord, line: String, ledger: ActionLedger,
                       fence: (any WriteFence)?) async throws(KubeAPIError) {
        guard let id = record.action else {
            if record.type == .finding, let incident = record.incident { findings[incident] = line }
            return
        }
        if lines[id] == nil {
            lines[id] = objects[id]?.status?.records ?? (record.incident.flatMap { findings[$0] }.map { [$0] } ?? [])
        }
        lines[id, default: []].append(line)
        let lines = self.lines[id] ?? []
        guard var object = RemediationObject(action: id, records: lines, updated: record.time, ledger: ledger) else { return }
        writer.fence = fence
        if let known = objects[id] {
            object.metadata.resourceVersion = known.metadata.resourceVersion
            object.metadata.annotations = known.metadata.annotations
            do {
                objects[id] = try await writer.update(object)
                return
            } catch where error.code == .conflict || error.code == .notFound {
                // Someone annotated it (an approval) or deleted it: read it again below.
            }
        }
        do {
            objects[id] = try await writer.create(object)
        } catch where error.code == .alreadyExists {
            let current = try await reader.get(RemediationObject.self, name: object.metadata.name, namespace: object.metadata.namespace)
            let held = current.status?.records ?? []
            object.status?.records = held + lines.filter { !held.contains($0) }
            self.lines[id] = object.status?.records
            object.metadata.resourceVersion = current.metadata.resourceVersion
            object.metadata.annotations = current.metadata.annotations
            objects[id] = try await writer.update(object)
        }
    }

    /// Who approved action `id` by annotating its object `medic.io/approve=true` (with the field
    /// manager that set it, as `AnnotationApprover` reads it); nil when its object has no such
    /// annotation or is not there. A read that fails is `.unreadable`, never taken for "not
    /// approved" in silence: the pass reports it and the action stays unapproved.
    public func approval(of id: String) async -> AnnotatedApproval? {
        let name: String, object: JSON
        switch await annotations(of: id, for: LiveTarget.approvalAnnotation) {
        case .absent: return nil
        case .failed(let why): return .unreadable(why)
        case .read(let read, let named): (object, name) = (read, named)
        }
        guard object[path: ["metadata", "annotations", LiveTarget.approvalAnnotation]]?.string == "true" else { return nil }
        let prefix = "annotation \(LiveTarget.approvalAnnotation)=true on \(name)"
        return .approved(by: AnnotationApprover.manager(in: object).map { "\(prefix), set by \($0)" } ?? prefix + " (no field manager owns it)")
    }

    /// What a person said about in-flight action `id` on its object: `medic.io/resolve` set to
    /// `applied` or `not-applied`, with `medic.io/resolve-reason` saying what they checked, as
    /// `medic audit resolve` takes them. nil when the object has neither (or is not there).
    /// A read that fails (other than the object being gone) is reported, not taken as "no
    /// resolution", so a person's annotation is never ignored in silence.
    public func resolution(of id: String) async -> AnnotatedResolution? {
        let name: String, object: JSON
        switch await annotations(of: id, for: AnnotatedResolution.annotation) {
        case .absent: return nil
        case .failed(let why): return .invalid(why)
        case .read(let read, let named): (object, name) = (read, named)
        }
        guard let value = object[path: ["metadata", "annotations", AnnotatedResolution.annotation]]?.string else { return nil }
        guard let outcome = InFlightResolution.Outcome(rawValue: value) else {
            return .invalid("\(AnnotatedResolution.annotation)=\(value) on \(name) is ignored: it must be applied or not-applied")
        }
        let reason = object[path: ["metadata", "annotations", AnnotatedResolution.reasonAnnotation]]?.string ?? ""
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .invalid("\(AnnotatedResolution.annotation)=\(value) on \(name) is ignored until \(AnnotatedResolution.reasonAnnotation) says what was checked")
        }
        let by = AnnotationApprover.manager(in: object, annotation: AnnotatedResolution.annotation)
            .map { "annotation \(AnnotatedResolution.annotation) on \(name), set by \($0)" }
            ?? "annotation \(AnnotatedResolution.annotation) on \(name) (no field manager owns it)"
        return .resolved(outcome, reason: reason, by: by)
    }

    private enum AnnotationRead {
        /// No object for the action (never written, or deleted).
        case absent
        case read(JSON, name: String)
        /// The message a pass reports: the annotation cannot be judged.
        case failed(String)
    }

    /// Action `id`'s object read now to look for `annotation` on it, with its display name.
    private func annotations(of id: String, for annotation: String) async -> AnnotationRead {
        guard let name = displayName(of: id) else { return .absent }
        do {
            return try await current(id).map { .read($0, name: name) } ?? .absent
        } catch {
            return .failed("cannot read \(name) for a \(annotation) annotation: \(error)")
        }
    }

    /// Action `id`'s object as the server has it now (annotations, managedFields); nil when this
    /// store never saw it or it is gone.
    private func current(_ id: String) async throws -> JSON? {
        guard let object = objects[id] else { return nil }
        do {
            return try JSON(parsing: try await reader.getJSON(RemediationObject.resource, name: object.metadata.name,
                                                              namespace: object.metadata.namespace))
        } catch let error as KubeAPIError where error.code == .notFound {
            return nil
        }
    }

    /// `Remediation NS/NAME` of action `id`'s object, as messages name it.
    private func displayName(of id: String) -> String? {
        objects[id].map { "Remediation \($0.metadata.namespace ?? "")/\($0.metadata.name)" }
    }

    /// Every Remediation in the cluster, remembered for the next writes; their record lines
    /// are what `AuditLog.adopt` takes in.
    public func load() async throws(KubeAPIError) -> [RemediationObject] {
        let list = try await reader.list(RemediationObject.self)
        for object in list.items {
            guard let id = object.metadata.labels[RemediationObject.actionLabel] else { continue }
            objects[id] = object
            lines[id] = object.status?.records ?? []
        }
        return list.items
    }

    /// Records that reached the audit log but not their objects since the pass last asked.
    public func takeFailures() -> [String] {
        defer { failures = [] }
        return failures
    }

    func noteFailure(_ message: String) {
        failures.append(message)
    }

    /// The objects as this store last wrote or read them.
    public var known: [RemediationObject] { Array(objects.values) }

    /// Deletes the objects of settled actions whose latest record is older than `retention`:
    /// never one in flight, awaiting verification or an approval, or a target's open escalation.
    /// Returns what could not be deleted.
    public func collect(retention: TimeInterval, now: Date, ledger: ActionLedger,
                        fence: (any WriteFence)?) async -> [String] {
        writer.fence = fence
        var errors: [String] = []
        for (id, object) in objects.sorted(by: { $0.key < $1.key }) {
            guard let updated = object.status.flatMap({ RFC3339.parse($0.updated) }),
                  now.timeIntervalSince(updated) > retention, Self.isSettled(id, in: ledger) else { continue }
            do {
                // Only the object as this store knows it: one a newer record changed is kept.
                let version = object.metadata.uid.flatMap { uid in
                    object.metadata.resourceVersion.map { KubeWriter.ObjectVersion(uid: uid, resourceVersion: $0) }
                }
                guard let version else {
                    errors.append("cannot delete Remediation \(object.metadata.namespace ?? "")/\(object.metadata.name): "
                                  + "medic has no uid and resourceVersion of it to delete it by")
                    continue
                }
                try await writer.delete(RemediationObject.self, name: object.metadata.name, namespace: object.metadata.namespace,
                                        options: .init(precondition: version))
                (objects[id], lines[id]) = (nil, nil)
            } catch where error.code == .notFound {
                (objects[id], lines[id]) = (nil, nil)
            } catch where error.code == .conflict {
                // Changed since (a human annotated it): kept as it now is, and judged again next time.
                do {
                    objects[id] = try await reader.get(RemediationObject.self, name: object.metadata.name,
                                                       namespace: object.metadata.namespace)
                } catch {
                    errors.append("cannot read Remediation \(object.metadata.namespace ?? "")/\(object.metadata.name) again "
                                  + "after it changed: \(error.description)")
                }
            } catch {
                errors.append("cannot delete Remediation \(object.metadata.namespace ?? "")/\(object.metadata.name): \(error.description)")
            }
        }
        return errors
    }

    /// Nothing more will happen to it without a new finding: kept objects are the memory of
    /// what is still open.
    static func isSettled(_ id: String, in ledger: ActionLedger) -> Bool {
        if ledger.escalations[id] != nil { return false }
        guard let state = ledger.actions[id] else { return true }
        return !state.isInFlight && !state.isAwaitingVerification
    }
}

/// A `medic.io/approve=true` annotation on a Remediation object, read by `RemediationStore.approval`.
public enum AnnotatedApproval: Sendable, Equatable {
    public static let annotation = LiveTarget.approvalAnnotation

    case approved(by: String)
    /// The object could not be read: the message says why; the action stays unapproved.
    case unreadable(String)
}

/// A `medic.io/resolve` annotation on a Remediation object, read by `RemediationStore.resolution`.
public enum AnnotatedResolution: Sendable, Equatable {
    public static let annotation = "medic.io/resolve"
    public static let reasonAnnotation = "medic.io/resolve-reason"

    case resolved(InFlightResolution.Outcome, reason: String, by: String)
    /// Set but not usable, or not readable: the message says why, and nothing is recorded.
    case invalid(String)
}
