import Foundation
import MedicKube
import Yams

/// A scenario file that cannot be played, named by file and field so it can be fixed.
public struct ScenarioError: Error, Sendable, CustomStringConvertible, Equatable {
    public var source: String
    /// `spec.apps[2].memory.underLoad`; empty for the file as a whole.
    public var field: String
    public var message: String
    public var description: String { field.isEmpty ? "\(source): \(message)" : "\(source): \(field): \(message)" }
}

/// Reads a `kind: Scenario` file (docs/scenarios.md). Unknown fields are errors: a typo in a
/// scenario would otherwise silently play a different incident.
public enum ScenarioLoader {
    public static func load(file path: String) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(source: path, field: "", message: "cannot read it; expected a scenario (one YAML file with kind: Scenario)")
        }
        return try load(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func load(_ text: String, source: String = "<scenario>") throws(ScenarioError) -> Scenario {
        let document: JSON
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioError(source: source, field: "", message: "the file is empty")
            }
            document = try JSON(yaml: node)
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(source: source, field: "", message: "not valid YAML: \(error)")
        }
        return try Reader(source: source).scenario(document)
    }

    private struct Reader {
        let source: String

        func fail(_ field: String, _ message: String) -> ScenarioError {
            ScenarioError(source: source, field: field, message: message)
        }

        func mapping(_ value: JSON?, _ field: String, allowed: Set<String>) throws(ScenarioError) -> [String: JSON] {
            guard let fields = value?.object else { throw fail(field, "expected a mapping") }
            if let unknown = fields.keys.filter({ !allowed.contains($0) }).sorted().first {
                throw fail(join(field, unknown), "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            return fields
        }

        func join(_ field: String, _ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }

        func string(_ value: JSON?, _ field: String) throws(ScenarioError) -> String {
            guard let text = value?.string, !text.isEmpty else { throw fail(field, "expected a non-empty string") }
            return text
        }

        func number(_ value: JSON?, _ field: String) throws(ScenarioError) -> Double {
            switch value {
            case .int(let number)?: return Double(number)
            case .double(let number)?: return number
            default: throw fail(field, "expected a number")
            }
        }

        func duration(_ value: JSON?, _ field: String) throws(ScenarioError) -> TimeInterval {
            guard let text = value?.string, let seconds = GoDuration.seconds(text), seconds >= 0 else {
                throw fail(field, "expected a duration such as 250ms, 30s, 1h15m")
            }
            return seconds
        }

        func bytes(_ value: JSON?, _ field: String) throws(ScenarioError) -> Int64 {
            let text: String
            switch value {
            case .string(let quantity)?: text = quantity
            case .int(let number)?: text = String(number)
            default: text = ""
            }
            do {
                return try Quantity.bytes(text)
            } catch {
                throw fail(field, "expected a memory quantity such as 80Mi")
            }
        }

        func cpuSeconds(_ value: JSON?, _ field: String) throws(ScenarioError) -> Double {
            let text: String
            switch value {
            case .string(let quantity)?: text = quantity
            case .int(let number)?: text = String(number)
            case .double(let number)?: text = String(number)
            default: text = ""
            }
            do {
                return Double(try Quantity.millicores(text)) / 1000
            } catch {
                throw fail(field, "expected CPU seconds as a quantity such as 5m (0.005 s)")
            }
        }

        func list(_ value: JSON?, _ field: String) throws(ScenarioError) -> [JSON] {
            guard let value else { return [] }
            guard let items = value.array else { throw fail(field, "expected a list") }
            return items
        }

        func scenario(_ document: JSON) throws(ScenarioError) -> Scenario {
            let top = try mapping(document, "", allowed: ["apiVersion", "kind", "metadata", "spec"])
            guard top["apiVersion"]?.string == "kubesim.medic.io/v1" else {
                throw fail("apiVersion", "expected kubesim.medic.io/v1")
            }
            guard top["kind"]?.string == "Scenario" else { throw fail("kind", "expected Scenario") }
            let metadata = try mapping(top["metadata"], "metadata", allowed: ["name", "description"])
            let spec = try mapping(top["spec"], "spec", allowed: ["history", "registry", "load", "apps", "timeline", "nodes"])
            var registry = Set<String>()
            for (index, item) in try list(spec["registry"], "spec.registry").enumerated() {
                let image = try string(item, "spec.registry[\(index)]")
                guard image.contains(":") || image.contains("@") else {
                    throw fail("spec.registry[\(index)]", "name the tag too (\(image):1.0): the registry holds tags, not repositories")
                }
                registry.insert(image)
            }
            var load: [Load] = []
            for (index, item) in try list(spec["load"], "spec.load").enumerated() {
                load.append(try self.load(item, "spec.load[\(index)]"))
            }
            var apps: [AppBehaviour] = []
            for (index, item) in try list(spec["apps"], "spec.apps").enumerated() {
                let app = try self.app(item, "spec.apps[\(index)]")
                if apps.contains(where: { $0.image == app.image }) {
                    throw fail("spec.apps[\(index)].image", "\(app.image) is described twice")
                }
                apps.append(app)
            }
            var timeline: [TimelineStep] = []
            let steps = try list(spec["timeline"], "spec.timeline")
            // A step may apply custom objects of a CRD the timeline applies (before them, or in the same step).
            let served = ResourceCatalog().adding(definitionsIn: steps.flatMap { $0["apply"]?.array ?? [] })
            for (index, item) in steps.enumerated() {
                timeline.append(try step(item, "spec.timeline[\(index)]", catalog: served))
            }
            var nodes: [ClusterNode] = []
            for (index, item) in try list(spec["nodes"], "spec.nodes").enumerated() {
                let node = try self.node(item, "spec.nodes[\(index)]", index: index)
                if nodes.contains(where: { $0.name == node.name }) {
                    throw fail("spec.nodes[\(index)].name", "\(node.name) is declared twice")
                }
                nodes.append(node)
            }
            let history = spec["history"] == nil ? 0 : try duration(spec["history"], "spec.history")
            if let late = timeline.firstIndex(where: { $0.after > history }) {
                throw fail("spec.timeline[\(late)].after", "is after spec.history (\(GoDuration.text(history))): the story must be told before KubeSim serves")
            }
            return Scenario(name: try string(metadata["name"], "metadata.name"),
                            description: metadata["description"]?.string ?? "",
                            history: history, registry: registry, load: load, apps: apps,
                            timeline: timeline.sorted { $0.after < $1.after }, nodes: nodes)
        }

        func load(_ value: JSON, _ field: String) throws(ScenarioError) -> Load {
            let fields = try mapping(value, field, allowed: ["name", "url", "method", "rate", "changes"])
            let url = try string(fields["url"], join(field, "url"))
            guard url.hasPrefix("http://") else { throw fail(join(field, "url"), "expected http://<service>.<namespace>/<path>") }
            var changes: [Load.RateChange] = []
            for (index, item) in try list(fields["changes"], join(field, "changes")).enumerated() {
                let at = "\(field).changes[\(index)]"
                let change = try mapping(item, at, allowed: ["after", "factor"])
                changes.append(.init(after: try duration(change["after"], join(at, "after")),
                                     factor: try number(change["factor"], join(at, "factor"))))
            }
            let rate = try number(fields["rate"], join(field, "rate"))
            guard rate > 0 else { throw fail(join(field, "rate"), "expected requests per second above 0") }
            return Load(name: fields["name"]?.string ?? url, url: url, method: fields["method"]?.string ?? "GET",
                        rate: rate, changes: changes.sorted { $0.after < $1.after })
        }

        func app(_ value: JSON, _ field: String) throws(ScenarioError) -> AppBehaviour {
            let fields = try mapping(value, field, allowed: ["image", "listens", "requiredEnv", "crashLog", "startup", "memory",
                                                             "cpuPerRequest", "latency", "calls", "pool", "chaos",
                                                             "paths", "binaries", "exit"])
            let image = try string(fields["image"], join(field, "image"))
            guard Scenario.repository(of: image) == image else {
                throw fail(join(field, "image"), "name the repository without a tag (\(Scenario.repository(of: image))): every tag runs the same app")
            }
            var listens: [Int] = []
            for (index, item) in try list(fields["listens"], join(field, "listens")).enumerated() {
                guard let port = item.int, (1...65535).contains(port) else {
                    throw fail("\(field).listens[\(index)]", "expected a port number")
                }
                listens.append(Int(port))
            }
            var requiredEnv: [String] = []
            for (index, item) in try list(fields["requiredEnv"], join(field, "requiredEnv")).enumerated() {
                requiredEnv.append(try string(item, "\(field).requiredEnv[\(index)]"))
            }
            let memory = try fields["memory"].map { value throws(ScenarioError) in
                try mapping(value, join(field, "memory"), allowed: ["idle", "underLoad"])
            } ?? [:]
            let idle = try memory["idle"].map { value throws(ScenarioError) in try bytes(value, "\(field).memory.idle") } ?? 32 << 20
            let underLoad = try memory["underLoad"].map { value throws(ScenarioError) in
                try bytes(value, "\(field).memory.underLoad")
            } ?? idle
            var calls: [AppBehaviour.Call] = []
            for (index, item) in try list(fields["calls"], join(field, "calls")).enumerated() {
                let at = "\(field).calls[\(index)]"
                let call = try mapping(item, at, allowed: ["url", "retries"])
                calls.append(.init(url: try string(call["url"], join(at, "url")),
                                   retries: try call["retries"].map { value throws(ScenarioError) in try retries(value, join(at, "retries")) }))
            }
            var pool: AppBehaviour.ConnectionPool?
            if let value = fields["pool"] {
                let at = join(field, "pool")
                let settings = try mapping(value, at, allowed: ["sizeEnv", "size", "hold", "leakPerMinute"])
                let size = try number(settings["size"], join(at, "size"))
                guard size >= 1, size == size.rounded() else { throw fail(join(at, "size"), "expected a whole number of connections") }
                pool = .init(sizeEnv: settings["sizeEnv"]?.string, size: Int(size),
                             hold: try duration(settings["hold"], join(at, "hold")),
                             leakPerMinute: settings["leakPerMinute"] == nil ? 0 : try number(settings["leakPerMinute"], join(at, "leakPerMinute")))
            }
            let chaos = try fields["chaos"].map { value throws(ScenarioError) in
                let settings = try mapping(value, join(field, "chaos"), allowed: ["env"])
                return AppBehaviour.Chaos(env: try string(settings["env"], "\(field).chaos.env"))
            }
            var paths: [String: Int]?
            if let value = fields["paths"] {
                guard let entries = value.object else { throw fail(join(field, "paths"), "expected a mapping of path to HTTP status") }
                paths = [:]
                for (path, status) in entries {
                    guard path.hasPrefix("/"), let code = status.int, (100...599).contains(code) else {
                        throw fail("\(field).paths.\(path)", "expected /path: HTTP status (200, 404, 503…)")
                    }
                    paths?[path] = Int(code)
                }
            }
            var binaries: [String]?
            if fields["binaries"] != nil {
                binaries = []
                for (index, item) in try list(fields["binaries"], join(field, "binaries")).enumerated() {
                    binaries?.append(try string(item, "\(field).binaries[\(index)]"))
                }
            }
            let exit = try fields["exit"].map { value throws(ScenarioError) -> AppBehaviour.Exit in
                let at = join(field, "exit")
                let settings = try mapping(value, at, allowed: ["after", "code", "log"])
                let code = settings["code"] == nil ? 0 : try number(settings["code"], join(at, "code"))
                guard code >= 0, code <= 255, code == code.rounded() else { throw fail(join(at, "code"), "expected an exit code 0…255") }
                return AppBehaviour.Exit(after: try duration(settings["after"], join(at, "after")), code: Int64(code),
                                         log: settings["log"]?.string ?? "")
            }
            var behaviour = AppBehaviour(
                image: image, listens: listens, requiredEnv: requiredEnv,
                crashLog: fields["crashLog"]?.string ?? "FATAL: environment variable $(NAME) is not set",
                startup: fields["startup"] == nil ? 2 : try duration(fields["startup"], join(field, "startup")),
                memoryIdle: idle, memoryUnderLoad: underLoad,
                cpuPerRequest: fields["cpuPerRequest"] == nil ? 0.001 : try cpuSeconds(fields["cpuPerRequest"], join(field, "cpuPerRequest")),
                latency: fields["latency"] == nil ? 0.005 : try duration(fields["latency"], join(field, "latency")),
                calls: calls, pool: pool, chaos: chaos)
            behaviour.paths = paths
            behaviour.binaries = binaries
            behaviour.exit = exit
            return behaviour
        }

        func retries(_ value: JSON, _ field: String) throws(ScenarioError) -> AppBehaviour.Retries {
            let settings = try mapping(value, field, allowed: ["count", "countEnv", "backoff", "delay", "timeout"])
            let count = settings["count"] == nil ? 0 : try number(settings["count"], join(field, "count"))
            guard count >= 0, count <= 100, count == count.rounded() else {
                throw fail(join(field, "count"), "expected a whole number of retries, 0…100")
            }
            guard settings["count"] != nil || settings["countEnv"] != nil else {
                throw fail(join(field, "count"), "expected a number of retries (or countEnv, the variable that sets it)")
            }
            let backoff: AppBehaviour.Retries.Backoff
            if let value = settings["backoff"] {
                let names = AppBehaviour.Retries.Backoff.allCases.map(\.rawValue)
                guard let name = value.string, let parsed = AppBehaviour.Retries.Backoff(rawValue: name) else {
                    throw fail(join(field, "backoff"), "expected one of \(names.joined(separator: ", "))")
                }
                backoff = parsed
            } else {
                backoff = .none
            }
            let timeout = try settings["timeout"].map { value throws(ScenarioError) in try duration(value, join(field, "timeout")) }
            guard timeout != 0 else { throw fail(join(field, "timeout"), "expected a duration above 0 (leave it out to wait)") }
            return AppBehaviour.Retries(
                count: Int(count), countEnv: try settings["countEnv"].map { value throws(ScenarioError) in try string(value, join(field, "countEnv")) },
                backoff: backoff,
                delay: settings["delay"] == nil ? 0.1 : try duration(settings["delay"], join(field, "delay")),
                timeout: timeout)
        }

        func node(_ value: JSON, _ field: String, index: Int) throws(ScenarioError) -> ClusterNode {
            let fields = try mapping(value, field, allowed: ["name", "capacity", "allocatable", "labels", "taints",
                                                             "unschedulable", "internalIP"])
            func resources(_ key: String) throws(ScenarioError) -> ClusterNode.Resources? {
                guard let value = fields[key] else { return nil }
                let at = join(field, key)
                let settings = try mapping(value, at, allowed: ["cpu", "memory", "pods"])
                func quantity(_ name: String, _ check: (String) -> Bool) throws(ScenarioError) -> String {
                    let text: String
                    switch settings[name] {
                    case .string(let quantity)?: text = quantity
                    case .int(let number)?: text = String(number)
                    default: throw fail(join(at, name), "expected a quantity")
                    }
                    guard check(text) else { throw fail(join(at, name), "expected a quantity such as 4, 500m, 16Gi") }
                    return text
                }
                let cpu = try quantity("cpu") { (try? Quantity.millicores($0)) != nil }
                let memory = try quantity("memory") { (try? Quantity.bytes($0)) != nil }
                let pods = settings["pods"] == nil ? "110" : try quantity("pods") { Int($0) != nil }
                return ClusterNode.Resources(cpu: cpu, memory: memory, pods: pods)
            }
            guard let capacity = try resources("capacity") else { throw fail(join(field, "capacity"), "expected cpu and memory") }
            var labels: [String: String] = [:]
            if let value = fields["labels"] {
                guard let pairs = value.object else { throw fail(join(field, "labels"), "expected a mapping") }
                for (key, item) in pairs {
                    switch item {
                    case .string(let text): labels[key] = text
                    case .bool(let flag): labels[key] = String(flag)
                    case .int(let number): labels[key] = String(number)
                    case .null: labels[key] = ""
                    default: throw fail("\(field).labels.\(key)", "expected a string")
                    }
                }
            }
            var taints: [ClusterNode.Taint] = []
            for (index, item) in try list(fields["taints"], join(field, "taints")).enumerated() {
                let at = "\(field).taints[\(index)]"
                let taint = try mapping(item, at, allowed: ["key", "value", "effect"])
                let effect = try string(taint["effect"], join(at, "effect"))
                guard ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) else {
                    throw fail(join(at, "effect"), "expected NoSchedule, PreferNoSchedule or NoExecute")
                }
                taints.append(.init(key: try string(taint["key"], join(at, "key")), value: taint["value"]?.string ?? "",
                                    effect: effect))
            }
            return ClusterNode(name: try string(fields["name"], join(field, "name")), capacity: capacity,
                               allocatable: try resources("allocatable"), labels: labels, taints: taints,
                               unschedulable: fields["unschedulable"]?.bool ?? false,
                               internalIP: fields["internalIP"]?.string ?? "10.0.0.\(index + 1)")
        }

        func step(_ value: JSON, _ field: String, catalog: ResourceCatalog) throws(ScenarioError) -> TimelineStep {
            let fields = try mapping(value, field, allowed: ["after", "apply"])
            let objects = try list(fields["apply"], join(field, "apply"))
            for (index, object) in objects.enumerated() {
                let at = "\(field).apply[\(index)]"
                guard catalog.forObject(object) != nil else {
                    throw fail(at, "kind \(object["kind"]?.string ?? "<none>") is not one KubeSim serves")
                }
                guard object[path: ["metadata", "name"]]?.string?.isEmpty == false else { throw fail(at, "has no metadata.name") }
            }
            return TimelineStep(after: try duration(fields["after"], join(field, "after")), apply: objects)
        }
    }
}
