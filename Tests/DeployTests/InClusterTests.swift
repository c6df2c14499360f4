import Foundation
import KubeSim
import MedicHTTP
import Testing

/// medic in the pod the Deployment describes: read-only image and root filesystem, UID 65532,
/// ConfigMap runbooks, the in-cluster service account against a TLS KubeSim that enforces the
/// RBAC the overlay installed.
@Suite("medic in its pod", .serialized, .enabled(if: PodSandbox.isAvailable, "needs root, unshare and setpriv"))
struct InClusterTests {
    /// The runbooks that fire on the cloudmart incident now, in report order. The OOM kill is
    /// old by now, but auth-service is still not ready, so the triage floor reports it; its
    /// Service's lost endpoints make it critical, as they do probe-port's api-service. Among the
    /// critical ones, the definite faults come before the triage finding that could still be a
    /// symptom of something medic cannot see.
    static let cloudmartRunbooks = ["probe-port", "selector-mismatch", "unhealthy-workload", "chaos-flag", "bad-image"]
    /// At the incident's own time the OOM kill is recent enough to explain auth-service.
    static let cloudmartRunbooksAtIncident = ["probe-port", "oom-killed", "selector-mismatch", "chaos-flag", "bad-image"]

    static func runbooks(in report: String) -> [String] {
        report.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "(runbook ") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != ")" })
        }
    }

    @Test("the image tree, read-only and non-root, diagnoses a snapshot with the baked-in and the ConfigMap runbooks")
    func imageTree() async throws {
        let scratch = try makeScratch("image")
        defer { ImageTree.release(scratch) }
        let rendered = try RenderedOverlay.render("advise")
        let snapshot = try String(contentsOf: Repository.url("docs/examples/cloudmart/snapshot.json"), encoding: .utf8)
        var pod = try DeploymentPod(rendered, image: try ImageTree.make(in: scratch, mountPoints: try Self.mountPoints(rendered) + ["/incident"]),
                                    serviceAccount: nil)
        pod.sandbox.configMaps["/incident"] = ["cloudmart.json": snapshot]
        let incident = PodSandbox.containerPath("/incident/cloudmart.json")

        let withConfigMap = try await pod.run(["advise", "--snapshot", incident, "--at", "2026-11-20T03:00:00Z"], scratch: scratch)
        #expect(withConfigMap.status == 1, "\(withConfigMap.stderr)")
        #expect(Self.runbooks(in: withConfigMap.stdout) == Self.cloudmartRunbooksAtIncident)
        #expect(pod.sandbox.environment["MEDIC_RUNBOOKS"] == PodSandbox.containerPath("/etc/medic/runbooks"))

        // Without the Deployment's MEDIC_RUNBOOKS, medic finds the runbooks baked into the image.
        pod.sandbox.environment["MEDIC_RUNBOOKS"] = nil
        let baked = try await pod.run(["advise", "--snapshot", incident, "--at", "2026-11-20T03:00:00Z"], scratch: scratch)
        #expect(baked.status == 1, "\(baked.stderr)")
        #expect(baked.stdout == withConfigMap.stdout)

        // The tree is really read-only and medic really is not root.
        let probe = try await pod.run(["audit", "verify", PodSandbox.containerPath("/usr/share/medic/nothing.log")], scratch: scratch)
        #expect(probe.status != 0)
        #expect(ImageTree.binary.path.hasSuffix("/medic"))
    }

    @Test("advise and the Deployment's `medic run --once` under the advise overlay use exactly medic-read")
    func adviseUnderRBAC() async throws {
        try await Self.inPod("advise", scratch: "rbac") { pod, cluster, scratch, rendered in

            let advice = try await pod.run(["advise"], scratch: scratch)
            #expect(advice.status == 1, "\(advice.stderr)")
            #expect(Self.runbooks(in: advice.stdout) == Self.cloudmartRunbooks)
            let pass = try await pod.run(pod.onePass, scratch: scratch)
            #expect(pass.status == 1, "\(pass.stderr)")
            #expect(!pass.stderr.contains("forbidden"), "\(pass.stderr)")

            let decisions = cluster.authorizer.decisions
            #expect(!decisions.isEmpty)
            #expect(decisions.allSatisfy { $0.request.user == TestCluster.medicUser })
            #expect(decisions.filter { !$0.allowed }.map(\.request.description) == [])
            let used = Set(decisions.map { Permission($0.request) })
            let granted = Permission.granted(by: try rendered.object("ClusterRole", "medic-read"))
            // `--once` lists; the watches are the long-running `medic run`'s, below.
            #expect(used.sorted() == granted.filter { $0.verb != "watch" }.sorted())

            // The Deployment's own `medic run`, for a few seconds: its cache lists and watches
            // every kind under medic-read, and it elects itself under medic-leader-election.
            cluster.authorizer.clearDecisions()
            let arguments = pod.arguments.filter { !$0.hasPrefix("--prometheus=") && !$0.hasPrefix("--listen=") } + ["--listen=127.0.0.1:0"]
            let running = try await pod.run(arguments, scratch: scratch, timeout: 8)
            #expect(running.stderr.contains(#""message":"pass finished""#), "\(running.stderr)")
            #expect(cluster.authorizer.decisions.filter { !$0.allowed }.map(\.request.description) == [])
            let watched = Set(cluster.authorizer.decisions.map { Permission($0.request) })
            let lease = Permission.granted(by: try rendered.object("Role", "medic-leader-election"))
            #expect(watched.subtracting(lease).filter { $0.verb == "watch" }.sorted() == granted.filter { $0.verb == "watch" }.sorted())

            // One permission less: medic stops and says which one.
            cluster.authorizer.clearDecisions()
            let patched = try await cluster.kubectl([
                "patch", "clusterrole", "medic-read", "--type=json",
                "-p", #"[{"op":"test","path":"/rules/0/resources/1","value":"pods"},{"op":"remove","path":"/rules/0/resources/1"}]"#,
            ])
            #expect(patched.status == 0, "\(patched.stderr)")
            let refused = try await pod.run(["advise"], scratch: scratch)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains(
                #"pods is forbidden: User "system:serviceaccount:medic:medic" cannot list resource "pods" in API group "" at the cluster scope"#),
                "\(refused.stderr)")
            #expect(cluster.authorizer.decisions.filter { !$0.allowed }.map(\.request.description) == [#"list pods (group "")"#])
        }
    }

    @Test("the apply overlay's `medic run --once` acts within medic-read and medic-apply, and records Events")
    func applyUnderRBAC() async throws {
        try await Self.inPod("apply", scratch: "apply") { pod, cluster, scratch, rendered in
            #expect(pod.arguments.contains("--mode=apply"))
            let pass = try await pod.run(pod.onePass, scratch: scratch)
            #expect(!pass.stderr.contains("forbidden"), "\(pass.stderr)")

            let decisions = cluster.authorizer.decisions
            #expect(decisions.filter { !$0.allowed }.map(\.request.description) == [])
            let used = Set(decisions.map { Permission($0.request) })
            let granted = Permission.granted(by: try rendered.object("ClusterRole", "medic-read"))
                .union(Permission.granted(by: try rendered.object("ClusterRole", "medic-apply")))
            #expect(used.subtracting(granted).sorted() == [])
            #expect(used.contains(RequiredPermissions.events), "\(used.sorted())")
            #expect(used.contains { $0.verb == "patch" }, "\(used.sorted())")
        }
    }

    @Test("the apply overlay's pod keeps its audit log on its own volume; a failover to a replica on an empty one reads the Remediation objects and sends nothing twice; stdout carries the audit chain")
    func stateOutlivesThePod() async throws {
        try await Self.inPod("apply", scratch: "restart") { pod, cluster, scratch, rendered in
            #expect(pod.arguments.contains("--audit-stdout"))
            let first = try await pod.run(pod.onePass, scratch: scratch)
            let fixed = Self.fixes(cluster.authorizer.decisions)
            #expect(fixed == ["patch deployments/ production/database-service"], "\(first.stderr)")

            // The audit log stays on medic-0's volume after its pod is gone, and verifies; its
            // copy on stdout verifies on its own.
            let kept = try #require(pod.sandbox.volumes["/var/lib/medic/audit"]).appendingPathComponent("audit.log")
            let onVolume = try Command.run(Repository.medicBinary.path, ["audit", "verify", kept.path])
            #expect(onVolume.status == 0, "\(onVolume.stdout)\(onVolume.stderr)")
            let stream = scratch.appendingPathComponent("first-pod-stdout.jsonl")
            try Data(first.stdout.utf8).write(to: stream)
            let verified = try Command.run(Repository.medicBinary.path, ["audit", "verify", stream.path])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            let objects = try await cluster.kubectl(["get", "remediations", "-A", "--no-headers"])
            #expect(objects.stdout.split(separator: "\n").count >= fixed.count, "\(objects.stdout)\(objects.stderr)")

            // Something puts the fault back (a chaos tool, a sync from git). The fix is still
            // unverified, so medic must wait on it; a medic without memory would send it again.
            try await Self.reinject(cluster)
            for (replica, memory) in [(0, "its own audit log"), (1, "the Remediation objects: its volume is empty")] {
                cluster.authorizer.clearDecisions()
                let other = try pod.replica(replica)
                let next = try await other.run(other.onePass, scratch: scratch)
                #expect(Self.fixes(cluster.authorizer.decisions).intersection(fixed).sorted() == [], "medic-\(replica), from \(memory): \(next.stdout)")
                #expect(next.stderr.contains("on Deployment production/database-service waits for its verification"),
                        "medic-\(replica), from \(memory): \(next.stderr)")
            }

            // The control: with the objects deleted, a replica on an empty volume has no memory and sends it again.
            let deleted = try await cluster.kubectl(["delete", "remediations", "--all", "-A"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            cluster.authorizer.clearDecisions()
            let fresh = try pod.replica(2)
            let forgetful = try await fresh.run(fresh.onePass, scratch: scratch)
            #expect(Self.fixes(cluster.authorizer.decisions).intersection(fixed) == fixed, "\(forgetful.stdout)")
        }
    }

    /// The cloudmart fault the production policy lets medic fix on its own, back in place.
    static func reinject(_ cluster: TestCluster) async throws {
        let set = try await cluster.kubectl(["-n", "production", "set", "env", "deployment/database-service", "-c", "database",
                                             "CHAOS_FAILURE_RATE=0.5"])
        guard set.status == 0 else { throw TestFailure("kubectl set env: \(set.stderr)") }
    }

    /// The objects medic changed: mutations other than its own Events and Remediation objects.
    static func fixes(_ decisions: [RBACAuthorizer.Decision]) -> Set<String> {
        Set(decisions.map(\.request).filter { request in
            ["patch", "update", "create", "delete"].contains(request.verb)
                && !["events", "remediations", "leases"].contains(request.resource)
        }.map { "\($0.verb) \($0.resource)/\($0.subresource ?? "") \($0.namespace ?? "")/\($0.name ?? "")" })
    }

    @Test("every request of every action is allowed by the apply overlay in production, forbidden in kube-system and by the advise overlay")
    func actionsUnderRBAC() async throws {
        for overlay in ["apply", "advise"] {
            let scratch = try makeScratch("actions-\(overlay)")
            defer { ImageTree.release(scratch) }
            let cluster = try await TestCluster.start(installing: try RenderedOverlay.render(overlay), scratch: scratch)
            do {
                var tls = TLSOptions()
                tls.caFile = cluster.caFile
                let client = HTTPClient(configuration: HTTPClientConfiguration(tls: tls, bearerToken: TestCluster.medicToken))
                let read = Permission.granted(by: try RenderedOverlay.render(overlay).object("ClusterRole", "medic-read"))
                func send(_ need: ActionPermissions.Need) async throws -> HTTPResponse {
                    try await client.send(HTTPRequest(
                        method: need.method, url: cluster.server.baseURL + need.path,
                        headers: need.method == "PATCH" ? ["Content-Type": "application/merge-patch+json"] : [:],
                        body: need.method == "PATCH" ? Data("{}".utf8) : nil))
                }
                // kube-system: the policy refuses it, so medic-apply is not bound there either.
                for need in try ActionPermissions.needs(in: "kube-system") where !read.contains(need.permission) {
                    let response = try await send(need)
                    #expect(response.status == 403, "\(overlay): \(need.why): \(need.method) \(need.path) → \(response.status)")
                }
                for need in try ActionPermissions.needs() where !read.contains(need.permission) {
                    let response = try await send(need)
                    if overlay == "apply" {
                        #expect(response.status == 404, "\(need.why): \(need.method) \(need.path) → \(response.status)")
                    } else {
                        #expect(response.status == 403, "\(need.why): \(need.method) \(need.path) → \(response.status)")
                        let message = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["message"] as? String
                        #expect(message?.contains("User \"\(TestCluster.medicUser)\" cannot \(need.permission.verb) resource") == true)
                    }
                }
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
    }

    /// `overlay` installed into a fresh TLS KubeSim holding the cloudmart incident, and the
    /// Deployment's pod wired to it in-cluster; the cluster stops however `body` ends.
    static func inPod(_ overlay: String, scratch label: String,
                      _ body: (DeploymentPod, TestCluster, URL, RenderedOverlay) async throws -> Void) async throws {
        let scratch = try makeScratch(label)
        defer { ImageTree.release(scratch) }
        let rendered = try RenderedOverlay.render(overlay)
        let cluster = try await TestCluster.start(installing: rendered, scratch: scratch)
        do {
            var pod = try DeploymentPod(rendered, image: try ImageTree.make(in: scratch, mountPoints: try mountPoints(rendered)),
                                        serviceAccount: cluster.serviceAccount)
            pod.inCluster(port: cluster.server.port)
            try await body(pod, cluster, scratch, rendered)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    static func mountPoints(_ rendered: RenderedOverlay) throws -> [String] {
        (try rendered.container["volumeMounts"] as? [[String: Any]] ?? []).compactMap { $0["mountPath"] as? String }
    }
}
