import Foundation

/// The part of a live workload that kubectl reads before a `set env`, `set image` or
/// `set resources`: it diffs the pod template before and after its change and sends only
/// the difference, so the body depends on what is there now. Passing this snapshot makes
/// that dependency explicit instead of hiding a GET inside the renderer.
public struct PodTemplateSnapshot: Sendable, Hashable {
    public var containers: [Container]

    public init(containers: [Container]) {
        self.containers = containers
    }

    public struct Container: Sendable, Hashable {
        public var name: String
        public var image: String
        public var env: [EnvVar]
        public var limits: [String: String]
        public var requests: [String: String]

        public init(name: String, image: String = "", env: [EnvVar] = [], limits: [String: String] = [:], requests: [String: String] = [:]) {
            self.name = name
            self.image = image
            self.env = env
            self.limits = limits
            self.requests = requests
        }
    }

    public struct EnvVar: Sendable, Hashable {
        public var name: String
        /// The literal value; "" when unset or when the value comes from `valueFrom`.
        public var value: String
        /// True when the variable is filled from a ConfigMap, Secret or field reference.
        public var hasValueFrom: Bool

        public init(name: String, value: String = "", hasValueFrom: Bool = false) {
            self.name = name
            self.value = value
            self.hasValueFrom = hasValueFrom
        }
    }

    /// Reads `spec.template.spec.containers` from a Deployment, StatefulSet or DaemonSet as
    /// the API returns it (`kubectl get deployment NAME -o json`).
    public init(workloadJSON: Data) throws(RemediationError) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: workloadJSON)
        } catch {
            throw RemediationError(.needsCurrentState, "the workload snapshot is not JSON: \(error.localizedDescription)")
        }
        let template = ((root as? [String: Any])?["spec"] as? [String: Any])?["template"] as? [String: Any]
        guard let list = (template?["spec"] as? [String: Any])?["containers"] as? [[String: Any]] else {
            throw RemediationError(.needsCurrentState, "the workload snapshot has no spec.template.spec.containers list; pass the object as `kubectl get -o json` prints it")
        }
        containers = list.map { item in
            let resources = item["resources"] as? [String: Any]
            return Container(
                name: item["name"] as? String ?? "",
                image: item["image"] as? String ?? "",
                env: (item["env"] as? [[String: Any]] ?? []).map { variable in
                    EnvVar(
                        name: variable["name"] as? String ?? "",
                        value: variable["value"] as? String ?? "",
                        hasValueFrom: variable["valueFrom"] != nil
                    )
                },
                limits: resources?["limits"] as? [String: String] ?? [:],
                requests: resources?["requests"] as? [String: String] ?? [:]
            )
        }
    }
}
