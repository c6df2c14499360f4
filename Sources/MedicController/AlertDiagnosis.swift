import Foundation
import MedicDiagnosis
import MedicKube
import MedicRunbook

/// medic's answer to one firing alert, from the pass the alert started: the objects its labels
/// name, the findings on them of the runbooks its name triggers (`metadata.triggers`; every
/// runbook when none does), and the incidents those findings belong to, which the alert's
/// resolve closes. Pure: the alert, the pass's diagnosis and the cluster as observed.
public struct AlertDiagnosis: Sendable {
    public var alert: AlertmanagerPayload.Alert
    /// The workloads and Services the labels name, a pod resolved to the workload that owns it.
    public var objects: [ObjectRef]
    /// The namespace, when the alert names nothing narrower (KubeQuotaExceeded): every finding
    /// of its runbooks in it answers.
    public var namespace: String?
    /// The runbooks its name triggers; empty when no runbook lists it.
    public var runbooks: [String]
    public var findings: [Finding]
    /// Findings on its objects by runbooks it does not trigger: reported when those it
    /// triggers found nothing, so that a different cause is not hidden.
    public var otherFindings: [Finding]
    /// Its runbooks that could not be decided on its objects (Prometheus down, missing series).
    public var undecided: [UndecidedCheck]
    /// Ids of the incidents its findings belong to.
    public var incidents: [String]
    /// What could not be resolved: a pod no longer in the cluster, an alert without a namespace.
    public var notes: [String]

    /// `triggers`: alert name → runbook ids (see `triggers(of:)`).
    public init(alert: AlertmanagerPayload.Alert, view: ClusterView, findings: [Finding], undecided: [UndecidedCheck],
                incidents: [Incident], triggers: [String: [String]]) {
        self.alert = alert
        runbooks = triggers[alert.name] ?? []
        (objects, namespace, notes) = Self.resolve(alert.labels, in: view)
        // A workload's Services answer for it too: their RED symptoms (latency-rise on an HPA
        // maxed out) are what the alert's users feel.
        let objects = Set(objects + objects.flatMap { ref in
            view.workloads(in: ref.namespace).filter { $0.ref == ref }.flatMap(view.services(selecting:)).map {
                ObjectRef(kind: "Service", namespace: ref.namespace, name: $0.metadata.name)
            }
        }), namespace = namespace
        func concerns(_ target: ObjectRef) -> Bool {
            objects.contains(target) || (namespace == target.namespace && objects.isEmpty)
        }
        let onObjects = findings.filter { concerns($0.target) }
        let runbooks = Set(self.runbooks)
        let answers = runbooks.isEmpty ? onObjects : onObjects.filter { runbooks.contains($0.runbook) }
        self.findings = answers
        otherFindings = answers.isEmpty ? onObjects : []
        self.undecided = undecided.filter { concerns($0.target) && (runbooks.isEmpty || runbooks.contains($0.runbook)) }
        let answered = Set(answers.map(\.id))
        self.incidents = incidents.filter { !answered.isDisjoint(with: $0.rootCauses + $0.symptoms) }.map(\.id)
    }

    /// Alert name → the runbooks whose `metadata.triggers` list it.
    public static func triggers(of runbooks: [Runbook]) -> [String: [String]] {
        var map: [String: [String]] = [:]
        for runbook in runbooks {
            for name in runbook.triggers { map[name, default: []].append(runbook.id) }
        }
        return map
    }

    /// The label names that name an object, and its kind.
    static let objectLabels = [("deployment", "Deployment"), ("statefulset", "StatefulSet"), ("daemonset", "DaemonSet"),
                               ("service", "Service")]

    private static func resolve(_ labels: [String: String], in view: ClusterView)
        -> (objects: [ObjectRef], namespace: String?, notes: [String]) {
        guard let namespace = labels["namespace"], !namespace.isEmpty else {
            return ([], nil, ["it has no namespace label, so it names no object medic diagnoses"])
        }
        var objects: [ObjectRef] = []
        var notes: [String] = []
        for (label, kind) in objectLabels {
            if let name = labels[label], !name.isEmpty { objects.append(ObjectRef(kind: kind, namespace: namespace, name: name)) }
        }
        if let pod = labels["pod"], !pod.isEmpty {
            if let owner = view.workloads(in: namespace).first(where: { workload in
                view.pods(of: workload).contains { $0.metadata.name == pod }
            }) {
                objects.append(owner.ref)
            } else {
                notes.append("pod \(namespace)/\(pod) is not in the cluster now")
            }
        }
        if let hpa = labels["horizontalpodautoscaler"], !hpa.isEmpty,
           let workload = view.workloads(in: namespace).first(where: { $0.name == hpa }) {
            // medic does not read HorizontalPodAutoscalers; an HPA is conventionally named after its target.
            objects.append(workload.ref)
        }
        var seen = Set<ObjectRef>()
        objects = objects.filter { seen.insert($0).inserted }
        let hasObjectLabel = (objectLabels.map(\.0) + ["pod", "horizontalpodautoscaler"]).contains { labels[$0] != nil }
        return (objects, hasObjectLabel ? nil : namespace, notes)
    }

    /// How the log names the alert: `KubePodCrashLooping (fingerprint 4f2a…)`.
    public var alertName: String { "\(alert.name) (fingerprint \(alert.fingerprint))" }

    /// What the alert's objects are, for the log.
    public var scope: String {
        var parts = objects.map(\.description)
        if let namespace { parts.append("namespace \(namespace)") }
        if let container = alert.labels["container"], !container.isEmpty { parts.append("container \(container)") }
        return parts.isEmpty ? "no object" : parts.joined(separator: ", ")
    }

    /// One line per answer, the answer first: each finding with its cause when it is a symptom;
    /// or, never silent, that medic finds nothing wrong with the named objects.
    public var lines: [String] {
        var lines = findings.map { finding in
            var line = "alert \(alertName) → finding \(finding.runbook) on \(finding.target): \(finding.summary)"
            if !finding.causedBy.isEmpty { line += " (a symptom of \(finding.causedBy.joined(separator: ", ")))" }
            return line
        }
        let triggered = runbooks.isEmpty ? "any runbook" : "its runbooks (\(runbooks.joined(separator: ", ")))"
        if findings.isEmpty {
            var line = "alert \(alertName): medic finds nothing wrong with \(scope) by \(triggered)"
            if !otherFindings.isEmpty {
                line += "; other findings there: " + otherFindings.map { "\($0.runbook) on \($0.target)" }.joined(separator: ", ")
            }
            lines.append(line)
        }
        for check in undecided {
            lines.append("alert \(alertName): \(check.runbook) on \(check.target) could not be decided (a condition is unknown)")
        }
        lines += notes.map { "alert \(alertName): \($0)" }
        return lines
    }
}

/// An alert Alertmanager reports resolved, and medic's incidents it closes: those its firing
/// pass answered with. "Closed" is the alert's side; a finding medic still sees stays in its
/// report, and the closure says so.
public struct AlertClosure: Sendable, Equatable {
    public var alert: AlertmanagerPayload.Alert
    /// The incidents its firing pass linked to it; empty when that pass found nothing (or
    /// medic restarted since and never saw it fire).
    public var incidents: [String]
    /// Those incidents' ids still among this pass's findings.
    public var stillFound: [String]

    public init(alert: AlertmanagerPayload.Alert, incidents: [String], findings: [Finding]) {
        self.alert = alert
        self.incidents = incidents
        let open = Set(findings.map(\.id))
        stillFound = incidents.filter(open.contains)
    }

    public var line: String {
        let name = "alert \(alert.name) (fingerprint \(alert.fingerprint)) resolved"
        guard !incidents.isEmpty else { return "\(name): no open incident of medic's was linked to it" }
        var line = "\(name): incident \(incidents.joined(separator: ", ")) closed"
        if !stillFound.isEmpty { line += "; medic still finds \(stillFound.joined(separator: ", ")) and keeps reporting it" }
        return line
    }
}
