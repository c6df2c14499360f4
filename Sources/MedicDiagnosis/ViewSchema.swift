import MedicRunbook

/// The static shape of the enriched view (`workload`, `service`, `namespace`, …) that runbook
/// expressions read. `medic lint` checks field references against it, so a typo such as
/// `c.lastTerminaton` is caught before an incident rather than evaluating to an error during
/// one. A test builds real views from every fixture and compares their keys with this
/// description both ways, so the two cannot drift apart.
public enum ViewSchema {
    /// A field's type, as far as the view guarantees it.
    public indirect enum FieldType: Sendable, CustomStringConvertible {
        case string, int, double, bool, timestamp
        /// A Service targetPort: a number, or a container port's name.
        case intOrString
        /// A value or null.
        case nullable(FieldType)
        case list(FieldType)
        /// Fixed field names (a record of the view).
        case record(name: String, fields: [String: FieldType])
        /// Data keys (labels, env names): any key, values of one type.
        case map(FieldType)

        public var description: String {
            switch self {
            case .string: "string"
            case .int: "int"
            case .double: "double"
            case .bool: "bool"
            case .timestamp: "timestamp"
            case .intOrString: "int or string"
            case .nullable(let inner): "\(inner) or null"
            case .list(let element): "list of \(element)"
            case .record(let name, _): name
            case .map(let value): "map of \(value)"
            }
        }
    }

    static let labels = FieldType.map(.string)

    public static let condition = FieldType.record(name: "condition", fields: [
        "type": .string, "status": .string, "reason": .string, "message": .string, "since": .nullable(.timestamp),
    ])

    public static let issue = FieldType.record(name: "issue", fields: [
        "kind": .string, "object": .string, "container": .string, "reason": .string, "message": .string,
        "since": .nullable(.timestamp), "settled": .bool, "next": .string, "count": .int,
        "causes": .list(.string), "until": .nullable(.timestamp),
    ])

    public static let pod = FieldType.record(name: "pod", fields: [
        "name": .string, "phase": .string, "ready": .bool, "restarts": .int, "node": .string, "labels": labels,
        "startTime": .nullable(.timestamp), "createdAt": .nullable(.timestamp), "conditions": .list(condition),
    ])

    public static let event = FieldType.record(name: "event", fields: [
        "type": .string, "reason": .string, "message": .string, "count": .int, "lastSeen": .nullable(.timestamp),
        "object": .string, "fieldPath": .string,
    ])

    public static let probe = FieldType.record(name: "probe", fields: [
        "kind": .string, "handler": .string, "port": .nullable(.int), "path": .string, "failures": .int,
        "refused": .bool, "lastFailure": .string,
    ])

    static let resources = FieldType.record(name: "resources", fields: ["memory": .nullable(.int), "cpu": .nullable(.int)])

    public static let container = FieldType.record(name: "container", fields: [
        "name": .string, "image": .string, "ports": .list(.int), "portNames": .map(.int),
        "env": .list(.record(name: "env variable", fields: ["name": .string, "value": .nullable(.string), "from": .string])),
        "envMap": labels, "limits": resources, "requests": resources, "restartCount": .int, "ready": .bool,
        "runningSince": .nullable(.timestamp),
        "waiting": .record(name: "waiting state", fields: ["reason": .string, "message": .string, "pod": .string]),
        "lastTermination": .record(name: "last termination", fields: [
            "reason": .string, "exitCode": .int, "startedAt": .nullable(.timestamp),
            "finishedAt": .nullable(.timestamp), "pod": .string, "message": .string,
        ]),
        "previousLog": .record(name: "previous log", fields: ["pod": .string, "tail": .string]),
        "imagePull": .record(name: "image pull", fields: [
            "failing": .bool, "reason": .string, "message": .string, "cause": .string,
        ]),
        "lastGoodImage": .nullable(.string), "lastGoodRevision": .nullable(.int), "servedPorts": .list(.int),
        "probes": .list(probe),
        "missingEnv": .list(.record(name: "missing variable", fields: ["name": .string, "line": .string])),
        "forbidden": .list(.record(name: "forbidden API call", fields: [
            "user": .string, "serviceAccount": .string, "verb": .string, "resource": .string, "group": .string,
            "namespace": .string, "line": .string,
        ])),
        "revisionWithMissingEnv": .nullable(.int),
    ])

    public static let revision = FieldType.record(name: "revision", fields: [
        "revision": .int, "name": .string, "current": .bool, "replicas": .int, "readyReplicas": .int,
        "images": .map(.string), "createdAt": .nullable(.timestamp),
    ])

    public static let workload = FieldType.record(name: "workload", fields: [
        "kind": .string, "name": .string, "namespace": .string, "labels": labels, "annotations": labels,
        "podLabels": labels, "replicas": .nullable(.int), "readyReplicas": .int, "availableReplicas": .int,
        "updatedReplicas": .int, "paused": .bool, "createdAt": .nullable(.timestamp), "containers": .list(container),
        "pods": .list(pod), "revision": .nullable(.int), "revisions": .list(revision), "events": .list(event),
        "services": .list(.string),
        "chaosFlags": .list(.record(name: "chaos flag", fields: [
            "container": .string, "name": .string, "value": .string, "offValue": .string,
        ])),
        "poolSizeSettings": .list(.record(name: "pool-size setting", fields: [
            "container": .string, "name": .string, "value": .int,
        ])),
        "danglingServiceRefs": .list(.record(name: "dangling service reference", fields: [
            "container": .string, "name": .string, "value": .string, "service": .string,
            "candidates": .list(.string), "fixedValue": .nullable(.string),
        ])),
        "wrongServicePorts": .list(.record(name: "wrong service port", fields: [
            "container": .string, "name": .string, "value": .string, "service": .string, "port": .int,
            "servicePorts": .list(.int), "fixedValue": .nullable(.string),
        ])),
        "conditions": .list(condition), "issues": .list(issue),
        "callers": .list(.record(name: "caller", fields: [
            "kind": .string, "name": .string, "container": .string, "variable": .string, "service": .string,
        ])),
        "networkIsolation": .record(name: "network isolation", fields: [
            "ingressDenied": .bool, "egressDenied": .bool, "policies": .list(.string), "targeted": .list(.string),
        ]),
        "calls": .list(.string),
        "unresolvedBy": .list(.record(name: "unresolved caller", fields: [
            "kind": .string, "name": .string, "container": .string, "host": .string, "port": .nullable(.int),
            "line": .string,
        ])),
        "chaosExperiments": .list(.record(name: "chaos experiment", fields: [
            "kind": .string, "name": .string, "namespace": .string, "injects": .string, "resource": .string,
            "createdAt": .nullable(.timestamp),
        ])),
        "rejectedCallers": .list(.record(name: "rejected caller", fields: [
            "kind": .string, "name": .string, "container": .string, "service": .string, "refused": .string,
            "line": .string,
        ])),
        "previousReplicas": .nullable(.int), "previousReplicasSource": .string, "previousReplicasDeclared": .bool,
        "scaledDownAt": .nullable(.timestamp),
        "persistentVolumeClaims": .list(.string),
        "featureFlags": .list(.record(name: "feature flag", fields: [
            "flag": .string, "configMap": .string, "key": .string, "variant": .string, "value": .string,
            "offVariant": .nullable(.string), "designated": .bool,
        ])),
        "rollout": .nullable(.record(name: "rollout", fields: [
            "revision": .nullable(.int), "since": .nullable(.timestamp), "failing": .list(issue),
            "lastGoodRevision": .nullable(.int), "lastGoodProof": .string, "changes": .list(.string),
        ])),
    ])

    public static let service = FieldType.record(name: "service", fields: [
        "name": .string, "namespace": .string, "labels": labels, "annotations": labels, "type": .string,
        "selector": labels,
        "ports": .list(.record(name: "service port", fields: [
            "name": .string, "port": .int, "targetPort": .intOrString, "served": .nullable(.bool),
            "declaredPorts": .list(.int), "candidatePort": .nullable(.int), "candidateReason": .string,
        ])),
        "endpoints": .record(name: "endpoints", fields: ["ready": .int, "notReady": .int, "known": .bool]),
        "readyPods": .int,
        "pods": .list(pod),
        "workloads": .list(.record(name: "selected workload", fields: ["kind": .string, "name": .string])),
        "intendedWorkloads": .list(.record(name: "intended workload", fields: [
            "kind": .string, "name": .string, "selector": labels, "removedKeys": .list(.string),
            "reasons": .list(.string), "exclusive": .bool, "alsoSelects": .list(.string),
        ])),
        "events": .list(event),
    ])

    public static let namespace = FieldType.record(name: "namespace", fields: [
        "name": .string, "labels": labels, "annotations": labels, "chaosIntended": .bool,
    ])

    /// What the conditions of a runbook with this target can read.
    public static func variables(for target: Runbook.TargetKind) -> [String: FieldType] {
        switch target {
        case .workload: ["workload": workload, "namespace": namespace, "now": .timestamp]
        case .service: ["service": service, "namespace": namespace, "now": .timestamp]
        }
    }

    /// What texts, `let` and `when` can read once the conditions ran.
    public static let results: [String: FieldType] = [
        "conditions": .map(.nullable(.bool)),
        "metrics": .map(.record(name: "metric result", fields: ["value": .nullable(.double), "detail": .string])),
    ]

    /// The type a chain of field selections leads to, or why it cannot be read. `path[0]` is
    /// the variable holding `root` (it names the spot in messages); the fields follow.
    public static func resolve(_ path: [String], from root: FieldType) -> Result<FieldType, Problem> {
        var type = root
        for (index, field) in path.enumerated().dropFirst() {
            let reached = path[..<index].joined(separator: ".")
            switch type.unwrapped {
            case .record(let name, let fields):
                guard let next = fields[field] else {
                    var message = "\(reached) (\(name)) has no field '\(field)'"
                    if let guess = Spelling.closest(to: field, among: Array(fields.keys)) {
                        message += " (did you mean '\(guess)'?)"
                    }
                    return .failure(Problem(message: message))
                }
                type = next
            case .map(let value):
                type = value
            case let other:
                return .failure(Problem(message: "\(reached) is a \(other), it has no field '\(field)'"
                    + (other.isList ? " (use [i] or a macro such as exists)" : "")))
            }
        }
        return .success(type)
    }

    public struct Problem: Error, Sendable, Equatable {
        public var message: String
    }
}

extension ViewSchema.FieldType {
    /// Without `nullable`: a field access on null is an evaluation error, not a schema one.
    public var unwrapped: ViewSchema.FieldType {
        if case .nullable(let inner) = self { inner.unwrapped } else { self }
    }

    var isList: Bool {
        if case .list = self { true } else { false }
    }

    /// The element type of a list (for `each` and macro variables).
    public var element: ViewSchema.FieldType? {
        if case .list(let element) = unwrapped { element } else { nil }
    }
}
