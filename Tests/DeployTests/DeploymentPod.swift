import Foundation

/// A pod the rendered StatefulSet would create, as a `PodSandbox`: its image tree laid out as
/// deploy/Dockerfile builds it, its environment (fieldRefs resolved), its ConfigMap, emptyDir
/// and claimed volumes, and its arguments with `$(VAR)` expanded as the kubelet does.
struct DeploymentPod {
    var sandbox: PodSandbox
    var arguments: [String]
    /// The container paths the sandbox rebases (volume mounts).
    var mountPaths: [String]

    /// The first ordinal's pod; `replica(_:)` gives another, with its own claimed volumes.
    static let podName = "medic-0"

    /// Where the claimed volumes of each ordinal live (`audit-medic-0`, …): they outlive a pod.
    let volumeRoot: URL
    /// Mount path → the claim template's name.
    let claimed: [String: String]

    init(_ rendered: RenderedOverlay, image: URL, serviceAccount: URL?) throws {
        let container = try rendered.container
        let workload = try rendered.object("StatefulSet", "medic")
        let pod = Manifest.dig(workload, "spec", "template", "spec") as? [String: Any] ?? [:]
        let volumes = (pod["volumes"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Any]]()) {
            $0[$1["name"] as? String ?? ""] = $1
        }
        let claimTemplates = Set((Manifest.dig(workload, "spec", "volumeClaimTemplates") as? [[String: Any]] ?? []).map(Manifest.name))
        var claimed: [String: String] = [:]
        var sandbox = PodSandbox(image: image, serviceAccount: serviceAccount)
        var mountPaths: [String] = []
        for mount in container["volumeMounts"] as? [[String: Any]] ?? [] {
            let path = mount["mountPath"] as? String ?? ""
            let name = mount["name"] as? String ?? ""
            let volume = volumes[name] ?? [:]
            mountPaths.append(path)
            if claimTemplates.contains(name) {
                claimed[path] = name
            } else if let configMap = Manifest.dig(volume, "configMap", "name") as? String {
                let object = try rendered.object("ConfigMap", configMap)
                sandbox.configMaps[path] = object["data"] as? [String: String] ?? [:]
            } else if volume["emptyDir"] != nil {
                sandbox.emptyDirs.append(path)
            } else {
                throw TestFailure("volume \(name) is neither a ConfigMap, an emptyDir nor a claim")
            }
        }
        volumeRoot = image.deletingLastPathComponent().appendingPathComponent("volumes")
        self.claimed = claimed
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
        try attach(ordinal: 0)
    }

    /// Pod `medic-N`: its claimed volumes (made on first use, kept after), its name.
    func replica(_ ordinal: Int) throws -> DeploymentPod {
        var pod = self
        try pod.attach(ordinal: ordinal)
        return pod
    }

    private mutating func attach(ordinal: Int) throws {
        for (path, claim) in claimed {
            let directory = volumeRoot.appendingPathComponent("\(claim)-medic-\(ordinal)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // The provisioner's volume, writable by the pod's user (fsGroup, in a cluster).
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
            sandbox.volumes[path] = directory
        }
        sandbox.environment["POD_NAME"] = sandbox.environment["POD_NAME"].map { _ in "medic-\(ordinal)" }
        arguments = arguments.map { $0.hasPrefix("--identity=medic-") ? "--identity=medic-\(ordinal)" : $0 }
    }

    /// The StatefulSet's arguments for one pass (`--once`: no leader election, no HTTP server),
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
