import MedicKube
import Foundation

/// `meta.k8s.io/v1` Table responses: the columns the apiserver's printers give each kind,
/// so `kubectl get` shows READY/STATUS/RESTARTS just as against a real cluster.
struct TableRenderer {
    struct Column {
        var name: String
        var type = "string"
        var format = ""
        var priority = 0
        var cell: (JSON) -> JSON
    }

    var now: Date

    func table(_ type: ResourceType, objects: [JSON], listMetadata: JSON, includeObject: String,
               withColumns: Bool = true) -> JSON {
        let columns = columns(for: type)
        var table: JSON = [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata,
            "rows": .array(objects.map { object in
                ["cells": .array(columns.map { $0.cell(object) }), "object": rowObject(object, includeObject)]
            }),
        ]
        if withColumns {
            table["columnDefinitions"] = .array(columns.map {
                ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
                 "description": .string($0.name), "priority": .int(Int64($0.priority))]
            })
        }
        return table
    }

    private func rowObject(_ object: JSON, _ includeObject: String) -> JSON {
        switch includeObject {
        case "None": return nil
        case "Object": return object
        default:
            return ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"] ?? [:]]
        }
    }

    private func columns(for type: ResourceType) -> [Column] {
        let name = Column(name: "Name", format: "name") { $0[path: ["metadata", "name"]] ?? "" }
        let age = Column(name: "Age") { .string(ageText($0[path: ["metadata", "creationTimestamp"]]?.string)) }
        let containers = Column(name: "Containers", priority: 1) { joined($0[path: ["spec", "template", "spec", "containers"]], "name") }
        let images = Column(name: "Images", priority: 1) { joined($0[path: ["spec", "template", "spec", "containers"]], "image") }
        let selector = Column(name: "Selector", priority: 1) { .string(LabelSelector(selector: $0[path: ["spec", "selector"]]).text) }
        func int(_ path: String...) -> (JSON) -> JSON { { .int($0[path: path]?.int ?? 0) } }
        if let custom = type.custom { return [name] + custom.printerColumns.map(customColumn) }
        switch type {
        case .pod:
            return [
                name,
                Column(name: "Ready") { .string(podReady($0)) },
                Column(name: "Status") { .string(podStatus($0)) },
                Column(name: "Restarts") { .string(podRestarts($0)) },
                age,
                Column(name: "IP", priority: 1) { $0[path: ["status", "podIP"]] ?? "<none>" },
                Column(name: "Node", priority: 1) { $0[path: ["spec", "nodeName"]] ?? "<none>" },
                Column(name: "Nominated Node", priority: 1) { $0[path: ["status", "nominatedNodeName"]] ?? "<none>" },
                Column(name: "Readiness Gates", priority: 1) { _ in "<none>" },
            ]
        case .deployment:
            return [
                name,
                Column(name: "Ready") { .string("\($0[path: ["status", "readyReplicas"]]?.int ?? 0)/\($0[path: ["spec", "replicas"]]?.int ?? 1)") },
                Column(name: "Up-to-date", type: "integer", cell: int("status", "updatedReplicas")),
                Column(name: "Available", type: "integer", cell: int("status", "availableReplicas")),
                age, containers, images, selector,
            ]
        case .replicaSet:
            return [
                name,
                Column(name: "Desired", type: "integer", cell: int("spec", "replicas")),
                Column(name: "Current", type: "integer", cell: int("status", "replicas")),
                Column(name: "Ready", type: "integer", cell: int("status", "readyReplicas")),
                age, containers, images, selector,
            ]
        case .statefulSet:
            return [
                name,
                Column(name: "Ready") { .string("\($0[path: ["status", "readyReplicas"]]?.int ?? 0)/\($0[path: ["spec", "replicas"]]?.int ?? 1)") },
                age, containers, images,
            ]
        case .daemonSet:
            return [
                name,
                Column(name: "Desired", type: "integer", cell: int("status", "desiredNumberScheduled")),
                Column(name: "Current", type: "integer", cell: int("status", "currentNumberScheduled")),
                Column(name: "Ready", type: "integer", cell: int("status", "numberReady")),
                Column(name: "Up-to-date", type: "integer", cell: int("status", "updatedNumberScheduled")),
                Column(name: "Available", type: "integer", cell: int("status", "numberAvailable")),
                Column(name: "Node Selector") { object in
                    let pairs = (object[path: ["spec", "template", "spec", "nodeSelector"]]?.object ?? [:])
                        .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.string ?? "")" }
                    return .string(pairs.isEmpty ? "<none>" : pairs.joined(separator: ","))
                },
                age, containers, images, selector,
            ]
        case .service:
            return [
                name,
                Column(name: "Type") { $0[path: ["spec", "type"]] ?? "ClusterIP" },
                Column(name: "Cluster-IP") { $0[path: ["spec", "clusterIP"]] ?? "<none>" },
                Column(name: "External-IP") { _ in "<none>" },
                Column(name: "Port(s)") { .string(servicePorts($0)) },
                age,
                Column(name: "Selector", priority: 1) { object in
                    let pairs = (object[path: ["spec", "selector"]]?.object ?? [:]).sorted { $0.key < $1.key }
                        .map { "\($0.key)=\($0.value.string ?? "")" }
                    return .string(pairs.isEmpty ? "<none>" : pairs.joined(separator: ","))
                },
            ]
        case .endpoints:
            return [name, Column(name: "Endpoints") { .string(endpointsText($0)) }, age]
        case .namespace:
            return [name, Column(name: "Status") { $0[path: ["status", "phase"]] ?? "Active" }, age]
        case .configMap:
            return [name, Column(name: "Data", type: "integer") { .int(Int64($0["data"]?.object?.count ?? 0)) }, age]
        case .job:
            return [
                name,
                Column(name: "Status") { object in
                    let conditions = object[path: ["status", "conditions"]]?.array ?? []
                    let done = conditions.first { $0["status"]?.string == "True" }?["type"]?.string
                    return .string(done == "Complete" ? "Complete" : done == "Failed" ? "Failed" : "Running")
                },
                Column(name: "Completions") { .string("\($0[path: ["status", "succeeded"]]?.int ?? 0)/\($0[path: ["spec", "completions"]]?.int ?? 1)") },
                Column(name: "Duration") { _ in "<none>" },
                age,
            ]
        case .event:
            return [
                Column(name: "Last Seen") { event in
                    .string(ageText(event[path: ["series", "lastObservedTime"]]?.string ?? event["lastTimestamp"]?.string
                        ?? event["eventTime"]?.string))
                },
                Column(name: "Type") { $0["type"] ?? "" },
                Column(name: "Reason") { $0["reason"] ?? "" },
                Column(name: "Object") { object in
                    let kind = object[path: ["involvedObject", "kind"]]?.string?.lowercased() ?? ""
                    return .string("\(kind)/\(object[path: ["involvedObject", "name"]]?.string ?? "")")
                },
                Column(name: "Message") { $0["message"] ?? "" },
            ]
        case .customResourceDefinition:
            return [name, Column(name: "Created At", type: "date") { $0[path: ["metadata", "creationTimestamp"]] ?? "" }]
        case .lease:
            return [name, Column(name: "Holder") { $0[path: ["spec", "holderIdentity"]] ?? "" }, age]
        case .node:
            func address(_ type: String) -> (JSON) -> JSON {
                { node in
                    (node[path: ["status", "addresses"]]?.array ?? []).first { $0["type"]?.string == type }?["address"] ?? "<none>"
                }
            }
            return [
                name,
                Column(name: "Status") { .string(nodeStatus($0)) },
                Column(name: "Roles") { .string(nodeRoles($0)) },
                age,
                Column(name: "Version") { $0[path: ["status", "nodeInfo", "kubeletVersion"]] ?? "" },
                Column(name: "Internal-IP", priority: 1, cell: address("InternalIP")),
                Column(name: "External-IP", priority: 1, cell: address("ExternalIP")),
                Column(name: "OS-Image", priority: 1) { $0[path: ["status", "nodeInfo", "osImage"]] ?? "<unknown>" },
                Column(name: "Kernel-Version", priority: 1) { $0[path: ["status", "nodeInfo", "kernelVersion"]] ?? "<unknown>" },
                Column(name: "Container-Runtime", priority: 1) {
                    $0[path: ["status", "nodeInfo", "containerRuntimeVersion"]] ?? "<unknown>"
                },
            ]
        case .resourceQuota:
            return [
                name, age,
                Column(name: "Request") { .string(quotaColumn($0, limits: false)) },
                Column(name: "Limit") { .string(quotaColumn($0, limits: true)) },
            ]
        default:
            return [name, age]
        }
    }

    /// A CRD's printer column: the first match of its JSONPath, as text for `string`, typed
    /// for `integer`, `number` and `boolean`, as an age for `date`; empty when nothing matches.
    private func customColumn(_ column: CustomResource.PrinterColumn) -> Column {
        let path = PrinterColumnPath(column.jsonPath)
        return Column(name: column.name, type: column.type, format: column.format, priority: column.priority) { object in
            guard let value = path?.results(in: object).first else { return nil }
            switch (column.type, value) {
            case ("integer", .int), ("boolean", .bool): return value
            case ("integer", .double(let number)): return .int(Int64(number))
            case ("number", .int(let number)): return .double(Double(number))
            case ("number", .double): return value
            case ("date", .string(let text)): return Timestamp.parse(text) == nil ? nil : .string(ageText(text))
            case ("string", .string): return value
            case ("string", _): return .string(GoValueText.plain(value))
            default: return nil
            }
        }
    }

    /// `Ready`, `NotReady` or `Unknown` from the Ready condition, `,SchedulingDisabled` when cordoned.
    private func nodeStatus(_ node: JSON) -> String {
        let ready = (node[path: ["status", "conditions"]]?.array ?? []).first { $0["type"]?.string == "Ready" }
        var status = switch ready?["status"]?.string {
        case "True"?: "Ready"
        case "False"?: "NotReady"
        default: "Unknown"
        }
        if node[path: ["spec", "unschedulable"]]?.bool == true { status += ",SchedulingDisabled" }
        return status
    }

    /// The `node-role.kubernetes.io/<role>` labels (and `kubernetes.io/role`), sorted.
    private func nodeRoles(_ node: JSON) -> String {
        var roles = Set<String>()
        for (key, value) in node[path: ["metadata", "labels"]]?.object ?? [:] {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", let role = value.string, !role.isEmpty {
                roles.insert(role)
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
    }

    /// `requests.cpu: 500m/2, pods: 3/10`: used/hard of each resource, sorted by name.
    private func quotaColumn(_ quota: JSON, limits: Bool) -> String {
        let hard = quota[path: ["spec", "hard"]]?.object ?? [:]
        let used = quota[path: ["status", "used"]]?.object ?? [:]
        return hard.keys.sorted().filter { $0.hasPrefix("limits") == limits }.map { resource in
            "\(resource): \(used[resource]?.string ?? "0")/\(hard[resource]?.string ?? "")"
        }.joined(separator: ", ")
    }

    private func ageText(_ timestamp: String?) -> String {
        guard let timestamp, let date = Timestamp.parse(timestamp) else { return "<unknown>" }
        return HumanDuration.text(seconds: Int(now.timeIntervalSince(date)))
    }

    private func joined(_ containers: JSON?, _ field: String) -> JSON {
        .string((containers?.array ?? []).compactMap { $0[field]?.string }.joined(separator: ","))
    }

    private func podReady(_ pod: JSON) -> String {
        let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
        let total = pod[path: ["spec", "containers"]]?.array?.count ?? statuses.count
        return "\(statuses.filter { $0["ready"]?.bool == true }.count)/\(total)"
    }

    /// kubectl's STATUS column: waiting or terminated reasons win over the phase.
    private func podStatus(_ pod: JSON) -> String {
        var reason = pod[path: ["status", "reason"]]?.string ?? pod[path: ["status", "phase"]]?.string ?? "Unknown"
        var initializing = false
        let initStatuses = pod[path: ["status", "initContainerStatuses"]]?.array ?? []
        for (index, status) in initStatuses.enumerated() {
            if let terminated = status[path: ["state", "terminated"]], terminated["exitCode"]?.int == 0 { continue }
            if let waiting = status[path: ["state", "waiting"]]?["reason"]?.string, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else if let terminated = status[path: ["state", "terminated"]] {
                reason = "Init:" + (terminated["reason"]?.string ?? "ExitCode:\(terminated["exitCode"]?.int ?? 0)")
            } else {
                reason = "Init:\(index)/\(initStatuses.count)"
            }
            initializing = true
            break
        }
        if !initializing {
            var hasRunning = false
            for status in (pod[path: ["status", "containerStatuses"]]?.array ?? []).reversed() {
                if let waiting = status[path: ["state", "waiting"]]?["reason"]?.string, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = status[path: ["state", "terminated"]] {
                    if let text = terminated["reason"]?.string, !text.isEmpty {
                        reason = text
                    } else if let signal = terminated["signal"]?.int, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated["exitCode"]?.int ?? 0)"
                    }
                } else if status["ready"]?.bool == true, status[path: ["state", "running"]] != nil {
                    hasRunning = true
                }
            }
            if reason == "Completed", hasRunning {
                reason = ClusterState.isReady(pod: pod) ? "Running" : "NotReady"
            }
        }
        if ClusterState.isTerminating(pod) { reason = "Terminating" }
        return reason
    }

    private func podRestarts(_ pod: JSON) -> String {
        var restarts: Int64 = 0
        var last: Date?
        for status in pod[path: ["status", "containerStatuses"]]?.array ?? [] {
            restarts += status["restartCount"]?.int ?? 0
            if let finished = status[path: ["lastState", "terminated", "finishedAt"]]?.string,
               let date = Timestamp.parse(finished), last.map({ date > $0 }) ?? true {
                last = date
            }
        }
        guard restarts > 0, let last else { return String(restarts) }
        return "\(restarts) (\(HumanDuration.text(seconds: Int(now.timeIntervalSince(last)))) ago)"
    }

    private func servicePorts(_ service: JSON) -> String {
        let ports = (service[path: ["spec", "ports"]]?.array ?? []).map { port -> String in
            let number = port["port"]?.int ?? 0
            let proto = port["protocol"]?.string ?? "TCP"
            if let nodePort = port["nodePort"]?.int { return "\(number):\(nodePort)/\(proto)" }
            return "\(number)/\(proto)"
        }
        return ports.isEmpty ? "<none>" : ports.joined(separator: ",")
    }

    private func endpointsText(_ endpoints: JSON) -> String {
        var pairs: [String] = []
        for subset in endpoints["subsets"]?.array ?? [] {
            for address in subset["addresses"]?.array ?? [] {
                for port in subset["ports"]?.array ?? [] {
                    pairs.append("\(address["ip"]?.string ?? ""):\(port["port"]?.int ?? 0)")
                }
            }
        }
        if pairs.isEmpty { return "<none>" }
        return pairs.count > 3 ? pairs.prefix(3).joined(separator: ",") + " + \(pairs.count - 3) more..." : pairs.joined(separator: ",")
    }
}
