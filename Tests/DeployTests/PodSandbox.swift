import Foundation

/// Runs the medic binary the way the Deployment's pod runs it, without a container engine:
/// a private mount namespace (`unshare`) where the root filesystem is read-only, the image tree
/// is mounted read-only, ConfigMaps appear in the kubelet's layout (`..data` symlinks), each
/// emptyDir is a fresh writable tmpfs, each claimed volume a directory that outlives the pod, the service-account directory is at its real path, and
/// the process runs as UID/GID 65532 with no_new_privs. Needs root (for the mounts), so the
/// tests using it are disabled elsewhere.
///
/// The image is mounted at `/run/pod` rather than `/`, so container paths other than `/tmp`
/// are seen under that prefix: `containerPath` rewrites them in arguments and environment.
struct PodSandbox {
    static let root = "/run/pod"
    static let serviceAccountPath = "/run/secrets/kubernetes.io/serviceaccount"

    static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    /// The image's file tree: `usr/bin/medic`, `usr/share/medic/…`.
    var image: URL
    var serviceAccount: URL?
    /// Mount path → the ConfigMap's data.
    var configMaps: [String: [String: String]] = [:]
    /// Mount paths of emptyDir volumes.
    var emptyDirs: [String] = []
    /// Mount path → the directory holding a claimed volume (bind-mounted writable).
    var volumes: [String: URL] = [:]
    var environment: [String: String] = [:]

    /// Where the process sees a path of the container's filesystem.
    static func containerPath(_ path: String) -> String {
        path == "/tmp" || path.hasPrefix("/tmp/") ? path : root + path
    }

    /// Rewrites every container path in `text` that starts with one of `prefixes`.
    static func rebase(_ text: String, prefixes: [String]) -> String {
        var result = text
        for prefix in prefixes where prefix != "/tmp" {
            result = result.replacingOccurrences(of: prefix, with: containerPath(prefix))
        }
        return result
    }

    /// Creates the mount points in the image tree, as a container runtime does, before the tree
    /// is made read-only.
    static func prepareMountPoints(in image: URL, paths: [String]) throws {
        for path in paths where path != "/tmp" {
            try FileManager.default.createDirectory(at: image.appendingPathComponent(String(path.dropFirst())),
                                                    withIntermediateDirectories: true)
        }
    }

    func run(_ arguments: [String], scratch: URL, timeout: TimeInterval = 90) async throws -> Command.Result {
        var script = """
            set -eu
            mount -t tmpfs -o mode=0755 tmpfs /run
            mkdir -p \(Self.root) \(Self.serviceAccountPath)
            mount --bind \(Self.quote(image.path)) \(Self.root)
            mount -o remount,bind,ro \(Self.root)

            """
        for (index, (path, data)) in configMaps.sorted(by: { $0.key < $1.key }).enumerated() {
            let directory = scratch.appendingPathComponent("configmap-\(index)-\(UUID().uuidString)")
            try Self.writeConfigMap(data, to: directory)
            let target = Self.quote(Self.containerPath(path))
            script += "mount --bind \(Self.quote(directory.path)) \(target)\nmount -o remount,bind,ro \(target)\n"
        }
        if let serviceAccount {
            script += "mount --bind \(Self.quote(serviceAccount.path)) \(Self.serviceAccountPath)\n"
            script += "mount -o remount,bind,ro \(Self.serviceAccountPath)\n"
        }
        script += "mount -o remount,bind,ro /\n"
        // Before the emptyDirs: one is /tmp, which would hide a volume's directory under it.
        for (path, directory) in volumes.sorted(by: { $0.key < $1.key }) {
            // Bound from the read-only root, so made writable again.
            let target = Self.quote(Self.containerPath(path))
            script += "mount --bind \(Self.quote(directory.path)) \(target)\nmount -o remount,bind,rw \(target)\n"
        }
        for path in emptyDirs {
            script += "mount -t tmpfs -o mode=1777,size=64m tmpfs \(Self.quote(Self.containerPath(path)))\n"
        }
        let environment = environment.sorted { $0.key < $1.key }.map { Self.quote("\($0.key)=\($0.value)") }
        script += "cd /\nexec setpriv --reuid=65532 --regid=65532 --clear-groups --no-new-privs env -i "
            + environment.joined(separator: " ") + " " + Self.quote(Self.root + "/usr/bin/medic") + " "
            + arguments.map(Self.quote).joined(separator: " ") + "\n"
        let file = scratch.appendingPathComponent("pod-\(UUID().uuidString).sh")
        try Data(script.utf8).write(to: file)
        return try await Command.detached("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", file.path],
                                          timeout: timeout)
    }

    /// The kubelet's layout: files in a timestamped directory, `..data` pointing at it, and
    /// one symlink per key through `..data`.
    static func writeConfigMap(_ data: [String: String], to directory: URL) throws {
        let files = FileManager.default
        let version = directory.appendingPathComponent("..2026_11_20_03_00_00.000000001")
        try files.createDirectory(at: version, withIntermediateDirectories: true)
        for (key, value) in data {
            try Data(value.utf8).write(to: version.appendingPathComponent(key))
        }
        try files.createSymbolicLink(atPath: directory.appendingPathComponent("..data").path, withDestinationPath: version.lastPathComponent)
        for key in data.keys {
            try files.createSymbolicLink(atPath: directory.appendingPathComponent(key).path, withDestinationPath: "..data/\(key)")
        }
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
