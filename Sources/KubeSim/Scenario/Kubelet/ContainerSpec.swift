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
    /// `command`; empty: the image's entrypoint.
    var command: [String]
    /// `terminationMessagePolicy: FallbackToLogsOnError`.
    var fallbackToLogs: Bool
    /// An entry of `initContainers`: runs to completion before the next one starts.
    var isInit: Bool

    init(container: JSON, scenario: Scenario?, isInit: Bool = false) {
        self.isInit = isInit
        command = (container["command"]?.array ?? []).compactMap(\.string)
        fallbackToLogs = container["terminationMessagePolicy"]?.string == "FallbackToLogsOnError"
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

    /// How the process ends by itself: the app's `exit`; an init container whose image no app
    /// describes completes after a second, as most do.
    var exit: AppBehaviour.Exit? {
        if let exit = app?.exit { return exit }
        return isInit && app == nil ? AppBehaviour.Exit(after: 1, code: 0, log: "") : nil
    }

    /// runc's error when `command` names an executable the image does not have; nil when it
    /// starts (no `command`, or the app declares no `binaries`).
    var startError: String? {
        guard let executable = command.first, let binaries = app?.binaries else { return nil }
        let found = executable.hasPrefix("/") ? binaries.contains(executable)
            : binaries.contains { $0 == executable || $0.hasSuffix("/" + executable) }
        guard !found else { return nil }
        let cause = executable.hasPrefix("/") ? "stat \(executable): no such file or directory"
            : "executable file not found in $PATH"
        return "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: "
            + "unable to start container process: exec: \"\(executable)\": \(cause): unknown"
    }

    /// The HTTP status the app answers on `path`: its `paths` (404 for others), else 200.
    func httpStatus(path: String) -> Int {
        guard let paths = app?.paths else { return 200 }
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return paths[bare] ?? 404
    }

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
