import Foundation
import Yams

/// The repository's deploy files and what kustomize makes of them.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let deploy = root.appendingPathComponent("deploy")

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The YAML files directly in a repository directory, by name.
    static func yamlFiles(in relative: String) throws -> [String: String] {
        let directory = url(relative)
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".yaml") {
            files[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    /// The built `medic` binary SwiftPM put beside this test bundle.
    static var medicBinary: URL {
        var directory = Bundle.main.bundleURL.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("medic")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return url(".build/debug/medic")
    }
}

/// One rendered overlay: `kubectl kustomize`'s output, as text and as parsed objects.
struct RenderedOverlay {
    let name: String
    let yaml: String
    let objects: [[String: Any]]

    static func render(_ overlay: String) throws -> RenderedOverlay {
        let result = try Command.run("/usr/bin/kubectl", ["kustomize", Repository.deploy.appendingPathComponent("overlays/\(overlay)").path])
        guard result.status == 0 else { throw TestFailure("kubectl kustomize \(overlay) failed: \(result.stderr)") }
        var objects: [[String: Any]] = []
        for document in try Yams.load_all(yaml: result.stdout) {
            guard let object = document as? [String: Any] else {
                throw TestFailure("\(overlay): a rendered document is not a mapping: \(String(describing: document))")
            }
            objects.append(object)
        }
        return RenderedOverlay(name: overlay, yaml: result.stdout, objects: objects)
    }

    func all(_ kind: String) -> [[String: Any]] {
        objects.filter { $0["kind"] as? String == kind }
    }

    func object(_ kind: String, _ name: String) throws -> [String: Any] {
        guard let found = objects.first(where: { $0["kind"] as? String == kind && Manifest.name($0) == name }) else {
            throw TestFailure("\(self.name): no \(kind) \(name) among \(objects.map { "\($0["kind"] ?? "?")/\(Manifest.name($0))" })")
        }
        return found
    }

    /// The ConfigMap generated under `prefix` (kustomize appends a content hash to the name).
    func configMap(prefix: String) throws -> [String: Any] {
        let matches = all("ConfigMap").filter { Manifest.name($0).hasPrefix(prefix + "-") }
        guard matches.count == 1 else { throw TestFailure("\(name): \(matches.count) ConfigMaps named \(prefix)-…") }
        return matches[0]
    }

    var container: [String: Any] {
        get throws {
            let workload = try object("StatefulSet", "medic")
            guard let container = (Manifest.dig(workload, "spec", "template", "spec", "containers") as? [[String: Any]])?.first else {
                throw TestFailure("\(name): the StatefulSet has no container")
            }
            return container
        }
    }
}

/// Reading parsed manifests without a model for every kind.
enum Manifest {
    static func dig(_ object: Any?, _ keys: String...) -> Any? {
        var current = object
        for key in keys { current = (current as? [String: Any])?[key] }
        return current
    }

    static func name(_ object: [String: Any]) -> String {
        dig(object, "metadata", "name") as? String ?? ""
    }

    static func strings(_ value: Any?) -> [String] {
        (value as? [Any] ?? []).compactMap { $0 as? String }
    }
}
