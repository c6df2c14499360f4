import Foundation
import MedicKube

/// What the kubelet reads from one container of a pod spec, joined with the scenario's
/// behaviour for its image: what it listens on, its memory limit and probes.
struct ContainerSpec: Sendable, Equatable {
    var name: String
    var image: String
    /// nil: an image the scenario does not describe, a healthy app on its declared ports.
    var app: AppBehaviour?
    var listens: [Int]
    var memoryLimit: Int64?
    var liveness: Probe?
    var readiness: Probe?

    init(container: JSON, scenario: Scenario?) {
        name = container["name"]?.string ?? ""
        image = container["image"]?.string ?? ""
        app = scenario?.app(forImage: image)
        listens = app?.listens ?? (container["ports"]?.array ?? []).compactMap { $0["containerPort"]?.int.map(Int.init) }
        memoryLimit = container[path: ["resources", "limits", "memory"]].flatMap { value -> Int64? in
            switch value {
            case .string(let text): try? Quantity.bytes(text)
            case .int(let number): number
            default: nil
            }
        }
        liveness = Probe(.liveness, container: container)
        readiness = Probe(.readiness, container: container)
    }

    /// Time from start until the ports listen.
    var startup: TimeInterval { app?.startup ?? 0 }

    /// When the working set under `requestsPerSecond` passes the memory limit, as time since
    /// the container started; nil if it never does.
    func outOfMemoryUptime(requestsPerSecond: Double) -> TimeInterval? {
        guard let app, let memoryLimit else { return nil }
        if app.memoryIdle > memoryLimit { return 0 }
        let peak = app.workingSet(requestsPerSecond: requestsPerSecond, uptime: AppBehaviour.memoryRamp)
        guard peak > memoryLimit else { return nil }
        let share = Double(memoryLimit - app.memoryIdle) / Double(peak - app.memoryIdle)
        return AppBehaviour.memoryRamp * share
    }
}
