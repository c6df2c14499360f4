import Foundation
@testable import MedicKube

extension FuzzTarget {
    /// `KubeConfig.parse`, the decoding `KubeConfig.load` runs on each `$KUBECONFIG` file.
    public static let kubeconfig = FuzzTarget(name: "kubeconfig") { input in
        do throws(KubeConfigError) {
            _ = try KubeConfig.parse(input, file: "fuzz-kubeconfig")
        } catch {
            guard error.file == "fuzz-kubeconfig" else {
                return FuzzViolation("kubeconfig error names another file: \(error)")
            }
        }
        return nil
    }
}
