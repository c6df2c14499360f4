import Foundation

/// Which policy `medic run` uses without `--policy`: `$MEDIC_POLICY`, then
/// `policies/default.yaml` beside or above the binary (as runbooks are found), then
/// `./policies/default.yaml`; nil when there is none, which means advise only.
enum RunPolicyLocation {
    static func resolve(_ explicit: String?) throws -> URL? {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw InputError(description: "medic: policy file \(explicit) does not exist")
            }
            return URL(fileURLWithPath: explicit)
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["MEDIC_POLICY"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            for candidate in ["policies/default.yaml", "share/medic/policies/default.yaml"] {
                let url = directory.appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
            directory.deleteLastPathComponent()
        }
        let local = URL(fileURLWithPath: "policies/default.yaml")
        return FileManager.default.fileExists(atPath: local.path) ? local : nil
    }
}
