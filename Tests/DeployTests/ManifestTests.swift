import Foundation
import Testing

@Suite("Rendered overlays")
struct ManifestTests {
    static let overlays = ["advise", "apply"]

    @Test("every rendered object parses and the set of objects is the install", arguments: overlays)
    func objects(overlay: String) throws {
        let rendered = try RenderedOverlay.render(overlay)
        let names = rendered.objects.map { "\($0["kind"] as? String ?? "?")/\(Manifest.name($0))" }
            .filter { !$0.hasPrefix("ConfigMap/") }.sorted()
        var expected = [
            "ClusterRole/medic-read", "ClusterRoleBinding/medic-read", "CustomResourceDefinition/remediations.medic.io",
            "Namespace/medic",
            "NetworkPolicy/medic", "PodDisruptionBudget/medic", "Role/medic-leader-election",
            "RoleBinding/medic-leader-election", "Service/medic", "ServiceAccount/medic", "StatefulSet/medic",
        ]
        if overlay == "apply" { expected += ["ClusterRole/medic-apply", "RoleBinding/medic-apply"] }
        #expect(names == expected.sorted())
        // medic-apply's RoleBindings sit in the namespaces medic may write (ApplyRBACTests).
        let clusterScoped = ["Namespace", "CustomResourceDefinition"]
        for object in rendered.objects where !clusterScoped.contains(object["kind"] as? String ?? "")
            && !(object["kind"] as? String ?? "").hasPrefix("Cluster") && Manifest.name(object) != "medic-apply" {
            #expect(Manifest.dig(object, "metadata", "namespace") as? String == "medic", "\(Manifest.name(object))")
        }
        _ = try rendered.configMap(prefix: "medic-runbooks")
        _ = try rendered.configMap(prefix: "medic-policies")
    }

    @Test("the StatefulSet is hardened", arguments: overlays)
    func hardening(overlay: String) throws {
        let rendered = try RenderedOverlay.render(overlay)
        let workload = try rendered.object("StatefulSet", "medic")
        let pod = Manifest.dig(workload, "spec", "template", "spec") as? [String: Any] ?? [:]
        #expect(Manifest.dig(workload, "spec", "replicas") as? Int == 2)
        #expect(pod["serviceAccountName"] as? String == "medic")
        #expect(Manifest.dig(pod, "securityContext", "runAsNonRoot") as? Bool == true)
        #expect(Manifest.dig(pod, "securityContext", "runAsUser") as? Int == 65532)
        #expect(Manifest.dig(pod, "securityContext", "seccompProfile", "type") as? String == "RuntimeDefault")

        let container = try rendered.container
        let security = container["securityContext"] as? [String: Any] ?? [:]
        #expect(security["runAsNonRoot"] as? Bool == true)
        #expect(security["readOnlyRootFilesystem"] as? Bool == true)
        #expect(security["allowPrivilegeEscalation"] as? Bool == false)
        #expect(Manifest.strings(Manifest.dig(security, "capabilities", "drop")) == ["ALL"])
        #expect(Manifest.dig(security, "seccompProfile", "type") as? String == "RuntimeDefault")
        #expect(security["privileged"] == nil)
        #expect(Manifest.dig(container, "resources", "limits", "cpu") as? String == "1")
        #expect(Manifest.dig(container, "resources", "limits", "memory") as? String == "256Mi")
        #expect(Manifest.dig(container, "resources", "requests", "memory") as? String == "160Mi")
        #expect(Manifest.dig(container, "livenessProbe", "httpGet", "path") as? String == "/healthz")
        #expect(Manifest.dig(container, "readinessProbe", "httpGet", "path") as? String == "/readyz")
        #expect(Manifest.dig(container, "livenessProbe", "httpGet", "port") as? String == "http")
        #expect(Manifest.dig(container, "image") as? String == "registry.example.com/medic:0.1.0")

        // medic writes its audit log to its own volume, which outlives the pod, and /tmp to an emptyDir.
        let mounts = (container["volumeMounts"] as? [[String: Any]] ?? [])
            .reduce(into: [String: String]()) { $0[$1["mountPath"] as? String ?? ""] = $1["name"] as? String }
        let volumes = (pod["volumes"] as? [[String: Any]] ?? [])
            .reduce(into: [String: [String: Any]]()) { $0[$1["name"] as? String ?? ""] = $1 }
        #expect(mounts["/tmp"].flatMap { volumes[$0] }?["emptyDir"] != nil, "/tmp is not an emptyDir")
        let claims = Manifest.dig(workload, "spec", "volumeClaimTemplates") as? [[String: Any]] ?? []
        #expect(claims.map(Manifest.name) == [mounts["/var/lib/medic/audit"] ?? "none"], "the audit log is not on a claimed volume")
        #expect(Manifest.strings(Manifest.dig(claims.first, "spec", "accessModes")) == ["ReadWriteOnce"])
        #expect(Manifest.dig(workload, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted") as? String == "Retain")
        #expect(Manifest.strings(container["args"]).contains("--audit-log=/var/lib/medic/audit/audit.log"))
        #expect(Manifest.dig(volumes["runbooks"], "configMap", "name") as? String
            == Manifest.name(try rendered.configMap(prefix: "medic-runbooks")))
        #expect(Manifest.dig(volumes["policies"], "configMap", "name") as? String
            == Manifest.name(try rendered.configMap(prefix: "medic-policies")))
    }

    /// The container's `env` entries with a plain value, by name.
    static func plainEnvironment(_ container: [String: Any]) -> [String: String] {
        var values: [String: String] = [:]
        for variable in container["env"] as? [[String: Any]] ?? [] {
            if let name = variable["name"] as? String, let value = variable["value"] as? String { values[name] = value }
        }
        return values
    }

    @Test("advise runs the default policy in advise mode; apply switches both by variable name, and nothing else")
    func modes() throws {
        let adviseContainer = try RenderedOverlay.render("advise").container
        let applyContainer = try RenderedOverlay.render("apply").container
        let advise = Manifest.strings(adviseContainer["args"])
        #expect(advise == [
            "run", "--mode=$(MEDIC_MODE)", "--policy=$(MEDIC_POLICY)", "--interval=30s",
            "--listen=0.0.0.0:8080", "--audit-log=/var/lib/medic/audit/audit.log", "--audit-stdout", "--lease-name=medic",
            "--lease-namespace=$(POD_NAMESPACE)", "--identity=$(POD_NAME)",
            "--prometheus=$(MEDIC_PROMETHEUS)",
        ])
        #expect(Self.plainEnvironment(adviseContainer)["MEDIC_PROMETHEUS"] == "http://prometheus-operated.monitoring.svc:9090")
        // The apply overlay is a strategic merge by name: same args, the same variables in the
        // same order, two values changed.
        #expect(Manifest.strings(applyContainer["args"]) == advise)
        let adviseEnvironment = Self.plainEnvironment(adviseContainer)
        var expected = adviseEnvironment
        expected["MEDIC_MODE"] = "apply"
        expected["MEDIC_POLICY"] = "/etc/medic/policies/production.yaml"
        #expect(adviseEnvironment["MEDIC_MODE"] == "advise")
        #expect(adviseEnvironment["MEDIC_POLICY"] == "/etc/medic/policies/default.yaml")
        #expect(Self.plainEnvironment(applyContainer) == expected)
        let names = { (container: [String: Any]) in (container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        #expect(names(applyContainer).sorted() == names(adviseContainer).sorted())
        // The policy each mode names is in the ConfigMap and says the same mode.
        for (overlay, file, mode) in [("advise", "default.yaml", "advise"), ("apply", "production.yaml", "apply")] {
            let data = Manifest.dig(try RenderedOverlay.render(overlay).configMap(prefix: "medic-policies"), "data") as? [String: String]
            #expect(data?[file]?.contains("\n  mode: \(mode)\n") == true, "\(file) in \(overlay)")
        }
    }

    @Test("the ConfigMaps carry exactly the repository's runbooks and policies")
    func configuration() throws {
        let rendered = try RenderedOverlay.render("advise")
        let runbooks = Manifest.dig(try rendered.configMap(prefix: "medic-runbooks"), "data") as? [String: String]
        let policies = Manifest.dig(try rendered.configMap(prefix: "medic-policies"), "data") as? [String: String]
        let repositoryRunbooks = try Repository.yamlFiles(in: "runbooks")
        let repositoryPolicies = try Repository.yamlFiles(in: "policies")
        #expect(runbooks == repositoryRunbooks, "deploy/base/runbooks differs from runbooks/: run deploy/sync-config.sh")
        #expect(policies == repositoryPolicies, "deploy/base/policies differs from policies/: run deploy/sync-config.sh")
        #expect(try Repository.yamlFiles(in: "deploy/base/runbooks") == repositoryRunbooks)
    }

    @Test("Service, PodDisruptionBudget and NetworkPolicy")
    func networking() throws {
        let rendered = try RenderedOverlay.render("advise")
        let service = try rendered.object("Service", "medic")
        #expect(Manifest.dig(service, "metadata", "annotations", "prometheus.io/scrape") as? String == "true")
        #expect(Manifest.dig(service, "metadata", "annotations", "prometheus.io/path") as? String == "/metrics")
        let port = (Manifest.dig(service, "spec", "ports") as? [[String: Any]])?.first
        #expect(port?["port"] as? Int == 8080 && port?["targetPort"] as? String == "http")
        let podLabels = Manifest.dig(try rendered.object("StatefulSet", "medic"), "spec", "template", "metadata", "labels") as? [String: String] ?? [:]
        let selector = Manifest.dig(service, "spec", "selector") as? [String: String] ?? [:]
        #expect(!selector.isEmpty && selector.allSatisfy { podLabels[$0.key] == $0.value })

        let budget = try rendered.object("PodDisruptionBudget", "medic")
        #expect(Manifest.dig(budget, "spec", "maxUnavailable") as? Int == 1)
        #expect(Manifest.dig(budget, "spec", "selector", "matchLabels") as? [String: String] == selector)

        let policy = try rendered.object("NetworkPolicy", "medic")
        #expect(Manifest.strings(Manifest.dig(policy, "spec", "policyTypes")) == ["Ingress", "Egress"])
        let egress = Manifest.dig(policy, "spec", "egress") as? [[String: Any]] ?? []
        let ports = egress.map { rule in
            (rule["ports"] as? [[String: Any]] ?? []).map { "\($0["port"] ?? "?")/\($0["protocol"] ?? "?")" }
        }
        #expect(ports == [["443/TCP", "6443/TCP"], ["53/UDP", "53/TCP"], ["9090/TCP"]])
        // Ingress: the metrics port, from the namespace that scrapes it only.
        let ingress = Manifest.dig(policy, "spec", "ingress") as? [[String: Any]] ?? []
        #expect(ingress.count == 1)
        #expect((ingress.first?["ports"] as? [[String: Any]])?.map { "\($0["port"] ?? "?")" } == ["8080"])
        let sources = ingress.first?["from"] as? [[String: Any]] ?? []
        #expect(sources.count == 1)
        #expect(Manifest.dig(sources.first, "namespaceSelector", "matchLabels") as? [String: String]
            == ["kubernetes.io/metadata.name": "monitoring"])
        // Every egress rule names its ports: nothing else leaves the pod.
        #expect(egress.allSatisfy { !($0["ports"] as? [Any] ?? []).isEmpty })
    }

    @Test("no rule uses a wildcard, reaches Secrets, or writes ConfigMaps", arguments: overlays)
    func leastPrivilege(overlay: String) throws {
        let rendered = try RenderedOverlay.render(overlay)
        for role in rendered.all("ClusterRole") + rendered.all("Role") {
            for permission in Permission.granted(by: role) {
                #expect(!permission.verb.contains("*") && !permission.group.contains("*") && !permission.resource.contains("*"),
                        "\(Manifest.name(role)): \(permission)")
                #expect(permission.resource != "secrets", "\(Manifest.name(role)): \(permission)")
                // ConfigMaps are listed and watched for feature-flag files (other keys are dropped on read), never written.
                #expect(permission.resource != "configmaps" || ["list", "watch"].contains(permission.verb), "\(Manifest.name(role)): \(permission)")
            }
        }
        let leases = try rendered.object("Role", "medic-leader-election")
        let named = (leases["rules"] as? [[String: Any]] ?? []).filter { $0["resourceNames"] != nil }
        #expect(named.map { Manifest.strings($0["resourceNames"]) } == [["medic"]])
        #expect(Manifest.strings(try rendered.container["args"]).contains("--lease-name=medic"))
    }
}
