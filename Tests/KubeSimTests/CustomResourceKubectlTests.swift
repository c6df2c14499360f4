import Foundation
import MedicKube
import Testing
@testable import KubeSim

/// Custom resources as the real kubectl sees them: CRDs applied, their kinds discovered
/// without a restart (each `Kubectl` has its own discovery cache, which kubectl invalidates
/// itself when a resource name is unknown), listed with printer columns, patched the ways
/// GitOps suspension needs, watched, applied client- and server-side, authorized, deleted.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CustomResourceKubectlTests {
    static func path(_ name: String) -> String { CustomResourceTests.fixtures.appendingPathComponent(name).path }

    func withCluster(_ options: ServerOptions = ServerOptions(), credentials: KubeconfigCredentials = .none,
                     _ body: (KubeSim, Kubectl) async throws -> Void) async throws {
        let sim = KubeSim()
        let server = try await sim.start(options)
        do {
            try await body(sim, try Kubectl(server: server, credentials: credentials))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func rows(_ table: String) -> [[String]] {
        table.split(separator: "\n").map { $0.components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// The three CRDs, the namespaces of the examples (loaded: `kubectl create namespace`
    /// speaks protobuf), and the examples.
    func install(_ sim: KubeSim, _ kubectl: Kubectl) async throws {
        for crd in ["kustomizations.kustomize.toolkit.fluxcd.io", "helmreleases.helm.toolkit.fluxcd.io", "applications.argoproj.io"] {
            #expect(try await kubectl.succeed("apply", "-f", Self.path("\(crd).yaml"))
                == "customresourcedefinition.apiextensions.k8s.io/\(crd) created\n")
        }
        try sim.load(manifests: """
            {apiVersion: v1, kind: Namespace, metadata: {name: flux-system}}
            ---
            {apiVersion: v1, kind: Namespace, metadata: {name: argocd}}
            """)
        #expect(try await kubectl.succeed("apply", "-f", Self.path("kustomization.yaml"))
            == "kustomization.kustomize.toolkit.fluxcd.io/apps created\n")
        #expect(try await kubectl.succeed("apply", "-f", Self.path("helmrelease.yaml"))
            == "helmrelease.helm.toolkit.fluxcd.io/podinfo created\n")
        #expect(try await kubectl.succeed("apply", "-f", Self.path("application.yaml")) == "application.argoproj.io/guestbook created\n")
    }

    @Test func crdsAreDiscoveredWithoutRestartAndListedWithTheirColumns() async throws {
        try await withCluster { sim, kubectl in
            let before = try await kubectl.run("get", "kustomizations", "-A")
            #expect(before.status == 1)
            #expect(before.stderr.contains(#"the server doesn't have a resource type "kustomizations""#), "\(before.stderr)")

            try await install(sim, kubectl)
            let crds = rows(try await kubectl.succeed("get", "crd"))
            #expect(crds.first == ["NAME", "CREATED AT"])
            #expect(crds.dropFirst().map { $0[0] } == ["applications.argoproj.io", "helmreleases.helm.toolkit.fluxcd.io",
                                                        "kustomizations.kustomize.toolkit.fluxcd.io"])

            let kustomizations = rows(try await kubectl.succeed("get", "kustomizations", "-A"))
            #expect(kustomizations.first == ["NAMESPACE", "NAME", "AGE", "READY", "STATUS"])
            #expect(kustomizations.dropFirst().map { Array($0.prefix(2)) } == [["flux-system", "apps"]])
            #expect(try await kubectl.succeed("get", "hr", "-n", "flux-system", "-o", "name") == "helmrelease.helm.toolkit.fluxcd.io/podinfo\n")

            let apps = rows(try await kubectl.succeed("get", "app", "-n", "argocd"))
            #expect(apps == [["NAME", "SYNC STATUS", "HEALTH STATUS"], ["guestbook"]])
            let wide = rows(try await kubectl.succeed("get", "apps.argoproj.io", "-n", "argocd", "-o", "wide"))
            #expect(wide.first == ["NAME", "SYNC STATUS", "HEALTH STATUS", "REVISION", "PROJECT"])
            #expect(wide.last == ["guestbook", "default"])

            // Re-applying a CRD with one more short name serves it under that name too.
            let renamed = FileManager.default.temporaryDirectory.appendingPathComponent("applications-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: renamed) }
            try CustomResourceTests.fixture("applications.argoproj.io.yaml")
                .replacingOccurrences(of: "      - apps\n", with: "      - apps\n      - argoapp\n")
                .write(to: renamed, atomically: true, encoding: .utf8)
            #expect(try await kubectl.succeed("apply", "-f", renamed.path)
                == "customresourcedefinition.apiextensions.k8s.io/applications.argoproj.io configured\n")
            #expect(try await kubectl.succeed("get", "argoapp", "-n", "argocd", "-o", "name") == "application.argoproj.io/guestbook\n")

            let resources = try await kubectl.succeed("api-resources", "--api-group", "argoproj.io")
            #expect(resources.contains("applications") && resources.contains("app,apps") && resources.contains("Application"),
                    "\(resources)")
            let explain = try await kubectl.succeed("explain", "kustomization.spec.suspend")
            #expect(explain.contains("FIELD: suspend <boolean>"), "\(explain)")
        }
    }

    @Test func suspendingByMergePatchAnnotatingAndTheRefusedStrategicPatch() async throws {
        try await withCluster { sim, kubectl in
            try await install(sim, kubectl)
            let refused = try await kubectl.run("patch", "kustomization", "apps", "-n", "flux-system", "-p", #"{"spec":{"suspend":true}}"#)
            #expect(refused.status == 1)
            #expect(refused.stderr == "error: application/strategic-merge-patch+json is not supported by "
                + "kustomize.toolkit.fluxcd.io/v1, Kind=Kustomization: the body of the request was in an unknown format - "
                + "accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n")

            #expect(try await kubectl.succeed("patch", "kustomization", "apps", "-n", "flux-system", "--type", "merge",
                                              "-p", #"{"spec":{"suspend":true}}"#)
                == "kustomization.kustomize.toolkit.fluxcd.io/apps patched\n")
            #expect(try await kubectl.succeed("patch", "helmrelease", "podinfo", "-n", "flux-system", "--type", "merge",
                                              "-p", #"{"spec":{"suspend":true}}"#)
                == "helmrelease.helm.toolkit.fluxcd.io/podinfo patched\n")
            #expect(try await kubectl.succeed("patch", "app", "guestbook", "-n", "argocd", "--type", "json",
                                              "-p", #"[{"op":"remove","path":"/spec/syncPolicy/automated"}]"#)
                == "application.argoproj.io/guestbook patched\n")
            #expect(try await kubectl.succeed("annotate", "ks", "apps", "-n", "flux-system", "medic.io/suspended-by=incident-42")
                == "kustomization.kustomize.toolkit.fluxcd.io/apps annotated\n")

            let kustomizationType = try #require(sim.catalog.named("Kustomization"))
            let kustomization = try #require(sim.get(kustomizationType, namespace: "flux-system", name: "apps"))
            #expect(kustomization[path: ["spec", "suspend"]] == true)
            #expect(kustomization[path: ["metadata", "annotations", "medic.io/suspended-by"]] == "incident-42")
            #expect(kustomization[path: ["metadata", "generation"]] == 2)
            let describe = try await kubectl.succeed("describe", "ks", "apps", "-n", "flux-system")
            #expect(describe.contains("Kind:         Kustomization"), "\(describe)")
            #expect(describe.split(separator: "\n").contains { $0.split(separator: " ") == ["Suspend:", "true"] }, "\(describe)")
            let release = sim.get(try #require(sim.catalog.named("HelmRelease")), namespace: "flux-system", name: "podinfo")
            #expect(release?[path: ["spec", "suspend"]] == true)
            let application = sim.get(try #require(sim.catalog.named("Application")), namespace: "argocd", name: "guestbook")
            #expect(application?[path: ["spec", "syncPolicy"]] == [:])
        }
    }

    @Test func statusSubresourceAndStrictFieldsThroughKubectl() async throws {
        try await withCluster { sim, kubectl in
            try await install(sim, kubectl)
            try await kubectl.succeed("patch", "ks", "apps", "-n", "flux-system", "--subresource", "status", "--type", "merge", "-p",
                                      #"{"status":{"conditions":[{"type":"Ready","status":"True","message":"Applied revision: main"}]}}"#)
            let listed = rows(try await kubectl.succeed("get", "ks", "-n", "flux-system", "--no-headers"))
            #expect(listed.first.map { [$0[0]] + Array($0.dropFirst(2)) } == ["apps", "True", "Applied revision: main"])
            // A status written through the main resource is ignored.
            try await kubectl.succeed("patch", "ks", "apps", "-n", "flux-system", "--type", "merge", "-p", #"{"status":null}"#)
            #expect(try await kubectl.succeed("get", "ks", "apps", "-n", "flux-system", "-o", "jsonpath={.status.conditions[0].status}") == "True")

            let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-kustomization-\(UUID().uuidString).yaml")
            try (try CustomResourceTests.fixture("kustomization.yaml").replacingOccurrences(of: "name: apps", with: "name: bad")
                + "  foo: bar\n").write(to: bad, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: bad) }
            let strict = try await kubectl.run("apply", "-f", bad.path)
            #expect(strict.status == 1)
            #expect(strict.stderr == #"Error from server (BadRequest): error when creating "\#(bad.path)": Kustomization in version "v1" "#
                + #"cannot be handled as a Kustomization: strict decoding error: unknown field "spec.foo""# + "\n")
        }
    }

    @Test func clientSideAndServerSideApplyOfCustomResources() async throws {
        try await withCluster { sim, kubectl in
            try await install(sim, kubectl)
            let changed = FileManager.default.temporaryDirectory.appendingPathComponent("kustomization-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: changed) }
            try CustomResourceTests.fixture("kustomization.yaml").replacingOccurrences(of: "interval: 10m", with: "interval: 5m")
                .write(to: changed, atomically: true, encoding: .utf8)
            #expect(try await kubectl.succeed("apply", "-f", changed.path) == "kustomization.kustomize.toolkit.fluxcd.io/apps configured\n")
            #expect(try await kubectl.succeed("apply", "-f", changed.path) == "kustomization.kustomize.toolkit.fluxcd.io/apps unchanged\n")
            let type = try #require(sim.catalog.named("Kustomization"))
            #expect(sim.get(type, namespace: "flux-system", name: "apps")?[path: ["spec", "interval"]] == "5m")

            #expect(try await kubectl.succeed("apply", "--server-side", "-f", Self.path("helmrelease.yaml"))
                == "helmrelease.helm.toolkit.fluxcd.io/podinfo serverside-applied\n")
            let managers = sim.get(try #require(sim.catalog.named("HelmRelease")), namespace: "flux-system", name: "podinfo")?[
                path: ["metadata", "managedFields"]]?.array?.map { $0["manager"] }
            #expect(managers?.contains("kubectl") == true, "\(String(describing: managers))")
        }
    }

    @Test func watchSeesTheSuspension() async throws {
        try await withCluster { sim, kubectl in
            try await install(sim, kubectl)
            async let watched = kubectl.run("get", "ks", "-n", "flux-system", "-w", "--output-watch-events", "--request-timeout", "4s",
                                            timeout: 20)
            try await Task.sleep(for: .seconds(1.5))
            try await kubectl.succeed("patch", "ks", "apps", "-n", "flux-system", "--type", "merge", "-p", #"{"spec":{"suspend":true}}"#)
            let output = try await watched
            let events = rows(output.stdout)
            #expect(events.first == ["EVENT", "NAME", "AGE", "READY", "STATUS"], "\(output.stdout) \(output.stderr)")
            #expect(events.dropFirst().map { Array($0.prefix(2)) } == [["ADDED", "apps"], ["MODIFIED", "apps"]], "\(output.stdout)")
        }
    }

    @Test func deletingObjectsAndTheirCRD() async throws {
        try await withCluster { sim, kubectl in
            try await install(sim, kubectl)
            #expect(try await kubectl.succeed("delete", "kustomization", "apps", "-n", "flux-system")
                == "kustomization.kustomize.toolkit.fluxcd.io \"apps\" deleted\n")
            #expect(try await kubectl.succeed("delete", "crd", "helmreleases.helm.toolkit.fluxcd.io")
                == "customresourcedefinition.apiextensions.k8s.io \"helmreleases.helm.toolkit.fluxcd.io\" deleted\n")
            #expect(sim.catalog.named("HelmRelease") == nil)
            // kubectl's discovery cache still has the resource: the list itself is not found.
            let stale = try await kubectl.run("get", "helmreleases", "-A")
            #expect(stale.status == 1)
            #expect(stale.stderr == #"Error from server (NotFound): Unable to list "helm.toolkit.fluxcd.io/v2, Resource=helmreleases": "#
                + "the server could not find the requested resource\n")
            try FileManager.default.removeItem(at: kubectl.directory.appendingPathComponent("cache"))
            let gone = try await kubectl.run("get", "helmreleases", "-A")
            #expect(gone.status == 1)
            #expect(gone.stderr.contains(#"the server doesn't have a resource type "helmreleases""#), "\(gone.stderr)")
            #expect(try await kubectl.run("get", "kustomizations", "-A").stderr == "No resources found\n")
        }
    }

    /// A service account's Role grants one custom resource and not another.
    @Test func customResourcesAreAuthorizedByRBAC() async throws {
        let certificates = try await TLSAuthenticationTests.Certificates()
        let token = "flux-reader-token"
        let options = ServerOptions(tls: .init(certificateFile: certificates.serverChain, privateKeyFile: certificates.serverKey),
                                    rbac: RBACAuthorizer(serviceAccountTokens: [token: "flux-system/reader"]))
        try await withCluster(options, credentials: .token(token)) { sim, kubectl in
            try sim.load(file: Self.path("kustomizations.kustomize.toolkit.fluxcd.io.yaml"))
            try sim.load(file: Self.path("helmreleases.helm.toolkit.fluxcd.io.yaml"))
            try sim.load(file: Self.path("kustomization.yaml"))
            try sim.load(manifests: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: reader, namespace: flux-system}
                rules: [{apiGroups: [kustomize.toolkit.fluxcd.io], resources: [kustomizations], verbs: [get, list, patch]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: reader, namespace: flux-system}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
                subjects: [{kind: ServiceAccount, name: reader, namespace: flux-system}]
                """)
            #expect(try await kubectl.succeed("auth", "can-i", "get", "kustomizations.kustomize.toolkit.fluxcd.io", "-n", "flux-system") == "yes\n")
            let no = try await kubectl.run("auth", "can-i", "get", "helmreleases.helm.toolkit.fluxcd.io", "-n", "flux-system")
            #expect(no.stdout == "no\n")
            #expect(try await kubectl.succeed("get", "ks", "-n", "flux-system", "-o", "name") == "kustomization.kustomize.toolkit.fluxcd.io/apps\n")
            let forbidden = try await kubectl.run("get", "hr", "-n", "flux-system")
            #expect(forbidden.stderr == #"Error from server (Forbidden): helmreleases.helm.toolkit.fluxcd.io is forbidden: User "system:serviceaccount:flux-system:reader" cannot list resource "helmreleases" in API group "helm.toolkit.fluxcd.io" in the namespace "flux-system""# + "\n")
        }
    }
}
