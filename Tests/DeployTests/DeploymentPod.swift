import Foundation

/// The pod the rendered Deployment would create, as a `PodSandbox`: its image tree laid out as
/// deploy/Dockerfile builds it, its environment (fieldRefs resolved), its ConfigMap and
/// emptyDir volumes, and its arguments with `$(VAR)` expanded as the kubelet does.
struct DeploymentPod {
    var sandbox: PodSandbox
    var arguments: [String]
    /// The container paths the sandbox rebases (volume mounts).
    var mountPaths: [String]

    static let podName = "medic-6d4f9c7b8-x2x9k"

    init(_ rendered: RenderedOverlay, image: URL, serviceAccount: URL?) throws {
        let container = try rendered.container
        let pod = Manifest.dig(try rendered.object("Deployment", "medic"), "spec", "template", "spec") as? [String: Any] ?? [:]
        let volumes = (pod["volumes"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Any]]()) {
            $0[$1["name"] as? String ?? ""] = $1
        }
        var sandbox = PodSandbox(image: image, serviceAccount: serviceAccount)
        var mountPaths: [String] = []
        for mount in container["volumeMounts"] as? [[String: Any]] ?? [] {
            let path = mount["mountPath"] as? String ?? ""
            let volume = volumes[mount["name"] as? String ?? ""] ?? [:]
            mountPaths.append(path)
            if let configMap = Manifest.dig(volume, "configMap", "name") as? String {
                let object = try rendered.object("ConfigMap", configMap)
                sandbox.configMaps[path] = object["data"] as? [String: String] ?? [:]
            } else if volume["emptyDir"] != nil {
                sandbox.emptyDirs.append(path)
            } else {
                throw TestFailure("volume \(volume) is neither a ConfigMap nor an emptyDir")
            }
        }
        // As the container sees it; arguments expand `$(VAR)` from it, then are rebased once.
        var declared: [String: String] = [:]
        for variable in container["env"] as? [[String: Any]] ?? [] {
            let name = variable["name"] as? String ?? ""
            switch Manifest.dig(variable, "valueFrom", "fieldRef", "fieldPath") as? String {
            case "metadata.name": declared[name] = Self.podName
            case "metadata.namespace": declared[name] = "medic"
            case nil: declared[name] = variable["value"] as? String ?? ""
            case let other?: throw TestFailure("unsupported fieldRef \(other)")
            }
        }
        sandbox.environment = declared.mapValues { PodSandbox.rebase($0, prefixes: mountPaths) }
        self.sandbox = sandbox
        self.mountPaths = mountPaths
        arguments = Manifest.strings(container["args"]).map { argument in
            var expanded = argument
            for (name, value) in declared { expanded = expanded.replacingOccurrences(of: "$(\(name))", with: value) }
            return PodSandbox.rebase(expanded, prefixes: mountPaths)
        }
    }

    /// The Deployment's arguments for one pass (`--once`: no leader election, no HTTP server),
    /// without Prometheus, which the test cluster does not have.
    var onePass: [String] {
        arguments.filter { !$0.hasPrefix("--prometheus=") } + ["--once"]
    }

    /// What the kubelet adds for an in-cluster client.
    mutating func inCluster(port: Int) {
        sandbox.environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1"
        sandbox.environment["KUBERNETES_SERVICE_PORT"] = String(port)
    }

    /// Runs `arguments` in the pod; past `timeout` seconds medic gets SIGTERM, as from a kubelet.
    func run(_ arguments: [String], scratch: URL, timeout: TimeInterval = 90) async throws -> Command.Result {
        try await sandbox.run(arguments, scratch: scratch, timeout: timeout)
    }
}

/// The runtime image's file tree, as deploy/Dockerfile's build stage lays it out, read-only.
enum ImageTree {
    /// The release binary when `swift build -c release --product medic --static-swift-stdlib`
    /// has been run (the Dockerfile's command), else the debug binary this test build made.
    static var binary: URL {
        let release = Repository.url(".build/release/medic")
        return FileManager.default.isExecutableFile(atPath: release.path) ? release : Repository.medicBinary
    }

    static func make(in scratch: URL, mountPoints: [String]) throws -> URL {
        let files = FileManager.default
        let image = scratch.appendingPathComponent("image")
        try files.createDirectory(at: image.appendingPathComponent("usr/bin"), withIntermediateDirectories: true)
        try files.createDirectory(at: image.appendingPathComponent("usr/share/medic"), withIntermediateDirectories: true)
        try files.copyItem(at: binary, to: image.appendingPathComponent("usr/bin/medic"))
        try files.copyItem(at: Repository.url("runbooks"), to: image.appendingPathComponent("usr/share/medic/runbooks"))
        try files.copyItem(at: Repository.url("policies"), to: image.appendingPathComponent("usr/share/medic/policies"))
        try PodSandbox.prepareMountPoints(in: image, paths: mountPoints)
        let chmod = try Command.run("/bin/chmod", ["-R", "a-w,a+rX", image.path])
        guard chmod.status == 0 else { throw TestFailure("chmod: \(chmod.stderr)") }
        return image
    }

    /// Gives the tree back to the test so it can be deleted.
    static func release(_ scratch: URL) {
        _ = try? Command.run("/bin/chmod", ["-R", "u+w", scratch.path])
        try? FileManager.default.removeItem(at: scratch)
    }
}
