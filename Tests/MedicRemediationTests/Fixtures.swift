import Foundation
import MedicKube
@testable import MedicRemediation

/// Shared targets and the reference seed objects (k8s-api-facts §1.3: Deployments `web` and `one`).
enum Fixtures {
    static func snapshot(_ file: String) throws -> PodTemplateSnapshot {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(file)")
        return try PodTemplateSnapshot(workloadJSON: Data(contentsOf: url))
    }

    static var web: PodTemplateSnapshot { get throws { try snapshot("web-deployment.json") } }
    static var one: PodTemplateSnapshot { get throws { try snapshot("one-deployment.json") } }

    static func deployment(_ name: String, in namespace: String = "demo") -> ObjectRef {
        ObjectRef(kind: "Deployment", namespace: namespace, name: name)
    }

    static func text(_ data: Data?) -> String? {
        data.map { String(decoding: $0, as: UTF8.self) }
    }
}
