import Foundation
import MedicRunbook

/// Which policy `medic run` uses without `--policy`: `$MEDIC_POLICY`, then
/// `policies/default.yaml` shipped with the binary (found from its real path, as the
/// built-in runbooks are); nil when there is none, which means advise only.
enum RunPolicyLocation {
    static func resolve(_ explicit: String?) throws -> URL? {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw InputError(description: "medic: policy file \(explicit) does not exist; expected \(YAMLFile.policyFile)")
            }
            return URL(fileURLWithPath: explicit)
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["MEDIC_POLICY"], !fromEnvironment.isEmpty {
            guard FileManager.default.fileExists(atPath: fromEnvironment) else {
                throw InputError(description: "medic: MEDIC_POLICY=\(fromEnvironment) does not exist; expected \(YAMLFile.policyFile)")
            }
            return URL(fileURLWithPath: fromEnvironment)
        }
        return Installation.find(["policies/default.yaml", "share/medic/policies/default.yaml"], directory: false)
    }
}
