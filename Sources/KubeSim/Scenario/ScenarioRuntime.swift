import Foundation
import MedicKube

/// A scenario being played: the kubelet and the traffic it drives, and how far the story got.
///
/// Lives inside `ClusterState`, under its lock, so a tick sees and changes the cluster as one
/// consistent step, exactly like an API write.
struct ScenarioRuntime: Sendable {
    let scenario: Scenario
    /// When the story started: `history` before KubeSim began to serve.
    let startedAt: Date
    var kubelet: Kubelet
    var traffic: TrafficModel
    var lastTick: Date
    var appliedSteps = 0

    /// Simulated time between two ticks while the history is fast-forwarded.
    static let historyStep: TimeInterval = 5
    /// Spacing of the history samples written for Prometheus to backfill.
    static let sampleInterval: TimeInterval = 10

    init(scenario: Scenario, startedAt: Date) {
        self.scenario = scenario
        self.startedAt = startedAt
        kubelet = Kubelet(scenario: scenario)
        traffic = TrafficModel(scenario: scenario)
        lastTick = startedAt
    }
}

extension ClusterState {
    /// Plays `scenario` from its start (`history` before now) up to now (`liveAfter` later), in simulated time:
    /// the timeline is applied, pods start, crash and restart, the load runs. Returns the
    /// metrics of that history in OpenMetrics text (`promtool tsdb create-blocks-from
    /// openmetrics` input), one sample set every `ScenarioRuntime.sampleInterval`.
    mutating func play(_ scenario: Scenario, source: String, liveAfter: TimeInterval = 0) throws(ScenarioError) -> String {
        let realClock = clock
        let now = realClock().addingTimeInterval(max(0, liveAfter))
        let start = now.addingTimeInterval(-scenario.history)
        runtime = ScenarioRuntime(scenario: scenario, startedAt: start)
        playsScenario = true
        nameSuffixes = SplitMix64(name: "names/" + scenario.name)
        if !scenario.nodes.isEmpty {
            clock = { start }
            installNodes(scenario.nodes)
        }
        var history = MetricsHistory()
        var time = start
        var nextSample = start
        while true {
            let at = time
            clock = { at }
            do {
                try applyDueTimelineSteps(at: at)
            } catch {
                clock = realClock
                runtime = nil
                playsScenario = false
                nameSuffixes = nil
                throw ScenarioError(source: source, field: error.field, message: error.message)
            }
            advanceScenario(to: at)
            if at >= nextSample {
                history.record(runtime?.traffic.samples(cluster: self, at: at) ?? [], at: at)
                nextSample = at.addingTimeInterval(ScenarioRuntime.sampleInterval)
            }
            if at >= now { break }
            time = min(now, at.addingTimeInterval(ScenarioRuntime.historyStep))
        }
        clock = realClock
        return history.openMetrics()
    }

    /// Applies the timeline steps due at `now`. Only the history has any: the loader refuses
    /// steps after it, so the live ticks never apply one.
    private mutating func applyDueTimelineSteps(at now: Date) throws(ScenarioError) {
        guard let runtime else { return }
        let elapsed = now.timeIntervalSince(runtime.startedAt)
        let timeline = runtime.scenario.timeline
        var step = runtime.appliedSteps
        while step < timeline.count, timeline[step].after <= elapsed {
            for (index, object) in ResourceCatalog.definitionsFirst(timeline[step].apply).enumerated() {
                do {
                    try applyScenarioObject(object)
                } catch {
                    throw ScenarioError(source: "", field: "spec.timeline[\(step)].apply[\(index)]", message: error.description)
                }
            }
            step += 1
            self.runtime?.appliedSteps = step
        }
    }

    /// One step of the story up to `now`: the kubelet (acting on the load of the step before:
    /// memory, CPU saturation), then the load since the last step through the pods as the
    /// kubelet left them. The runtime is taken out of the state while they work on it, so
    /// `playsScenario` (not `runtime`) tells a pod created meanwhile that a kubelet runs.
    /// A story ahead of `now` (a history played with a lead) waits for the clock.
    mutating func advanceScenario(to now: Date) {
        guard var runtime, runtime.lastTick <= now else { return }
        let interval = now.timeIntervalSince(runtime.lastTick)
        runtime.lastTick = now
        self.runtime = nil
        runtime.kubelet.advance(to: now, by: interval, loads: runtime.traffic.podLoads, cluster: &self)
        queueTimers(at: now)
        settle()
        runtime.traffic.advance(to: now, by: interval, cluster: self)
        self.runtime = runtime
        settle()
    }

    /// `kubectl apply` of one timeline object: created (with its namespace, if that is new),
    /// or its spec, data, labels and annotations replaced so a Deployment rolls out a new revision.
    private mutating func applyScenarioObject(_ object: JSON) throws(APIError) {
        guard let type = catalog.forObject(object) else { throw APIError.badRequest("KubeSim does not serve this kind") }
        let namespace = type.namespaced ? (Self.namespace(object).isEmpty ? "default" : Self.namespace(object)) : ""
        if type.namespaced, get(.namespace, namespace: "", name: namespace) == nil {
            _ = try create(.namespace, namespace: "", body: ["apiVersion": "v1", "kind": "Namespace",
                                                             "metadata": ["name": .string(namespace)]], dryRun: false)
        }
        guard var current = get(type, namespace: namespace, name: Self.name(object)) else {
            _ = try create(type, namespace: namespace, body: object, dryRun: false)
            return
        }
        for field in ["labels", "annotations"] {
            var merged = current[path: ["metadata", field]]?.object ?? [:]
            merged.merge(object[path: ["metadata", field]]?.object ?? [:]) { _, new in new }
            current[path: ["metadata", field]] = merged.isEmpty ? nil : .object(merged)
        }
        let allocated = type == .service ? ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] : []
        for field in ["spec", "data"] where object[field] != nil {
            var replaced = object[field]
            for key in allocated where replaced?[key] == nil { replaced?[key] = current[field]?[key] }
            current[field] = replaced
        }
        current[path: ["metadata", "resourceVersion"]] = nil
        _ = try replace(type, namespace: namespace, name: Self.name(object), body: current, subresource: nil, dryRun: false)
    }
}
