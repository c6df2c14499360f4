import Foundation
import KubeSim
import MedicController
import MedicKube
import MedicRemediation
import Testing

/// One mutating action, named for the test report. `remediation` is asked per cluster
/// because `delete-pod` must name a pod of that cluster (pod names are random).
struct KubectlEquivalenceCase: Sendable, CustomTestStringConvertible {
    static let deployment = ObjectRef(kind: "Deployment", namespace: "shop", name: "api")
    static let service = ObjectRef(kind: "Service", namespace: "shop", name: "api")

    let testDescription: String
    let remediation: @Sendable (KubeSim) -> Remediation

    init(_ label: String, on target: ObjectRef = KubectlEquivalenceCase.deployment, _ action: Action) {
        testDescription = label
        remediation = { _ in Remediation(target: target, action: action) }
    }

    init(_ label: String, remediation: @escaping @Sendable (KubeSim) -> Remediation) {
        testDescription = label
        self.remediation = remediation
    }

    static let all: [KubectlEquivalenceCase] = [
        KubectlEquivalenceCase("rollout-restart", .rolloutRestart),
        KubectlEquivalenceCase("set-env adds a variable", .setEnv(container: "api", variables: [EnvAssignment(name: "FEATURE_X", value: "on")])),
        KubectlEquivalenceCase("set-env updates a literal in every container",
                               .setEnv(container: nil, variables: [EnvAssignment(name: "LOG_LEVEL", value: "debug")])),
        KubectlEquivalenceCase("set-env replaces a valueFrom", .setEnv(container: "api", variables: [EnvAssignment(name: "DB_HOST", value: "db2.shop")])),
        KubectlEquivalenceCase("unset-env removes a literal", .unsetEnv(container: "api", names: ["POOL_SIZE"])),
        KubectlEquivalenceCase("unset-env removes a valueFrom from every container", .unsetEnv(container: nil, names: ["DB_HOST"])),
        KubectlEquivalenceCase("set-image", .setImage(container: "api", image: "shop/api:2.0")),
        KubectlEquivalenceCase("set-resources on one container, non-canonical quantities",
                               .setResources(container: "api", limits: ["memory": "2048Mi", "cpu": "1000m"], requests: ["cpu": "500m"])),
        KubectlEquivalenceCase("set-resources on every container", .setResources(container: nil, limits: ["memory": "512Mi"], requests: [:])),
        KubectlEquivalenceCase("patch-probe liveness httpGet", .patchProbe(container: "api", probe: .liveness, handler: .httpGet, port: 8081)),
        KubectlEquivalenceCase("patch-probe readiness grpc", .patchProbe(container: "api", probe: .readiness, handler: .grpc, port: 9090)),
        KubectlEquivalenceCase("patch-selector on a Service", on: KubectlEquivalenceCase.service, .patchSelector(selector: ["tier": "web"], remove: ["legacy"])),
        KubectlEquivalenceCase("patch-service-port to a number", on: KubectlEquivalenceCase.service,
                               .patchServicePort(index: 0, from: .int(8080), to: .int(9090))),
        KubectlEquivalenceCase("patch-service-port to a port name", on: KubectlEquivalenceCase.service,
                               .patchServicePort(index: 0, from: .int(8080), to: .string("http-alt"))),
        KubectlEquivalenceCase("scale", .scale(replicas: 3)),
        KubectlEquivalenceCase("delete-pod") { sim in
            let pod = sim.objects(.pod, namespace: "shop").compactMap { $0[path: ["metadata", "name"]]?.string }.first ?? "<no pod>"
            return Remediation(target: KubectlEquivalenceCase.deployment, action: .deletePod(name: pod))
        },
        KubectlEquivalenceCase("rollout-undo to the previous revision", .rolloutUndo(toRevision: nil)),
        KubectlEquivalenceCase("rollout-undo to revision 1", .rolloutUndo(toRevision: 1)),
    ]
}

/// Issue 4, item 2: the kubectl command medic shows and the request medic sends have the same
/// effect. Each case runs the command against one fresh KubeSim and medic's Executor against
/// another, then compares what the two servers hold.
@Suite("kubectl and medic's request leave the same objects", .timeLimit(.minutes(2)))
struct KubectlEquivalenceTests {
    static let restartedAt = "kubectl.kubernetes.io/restartedAt"

    @Test(arguments: KubectlEquivalenceCase.all)
    func sameObjects(_ example: KubectlEquivalenceCase) async throws {
        let viaKubectl = try await KubectlEquivalenceCluster.start()
        let viaMedic = try await KubectlEquivalenceCluster.start()
        defer { Task { await viaKubectl.stop(); await viaMedic.stop() } }
        let command = example.remediation(viaKubectl.sim)
        let request = example.remediation(viaMedic.sim)
        let before = try viaKubectl.state(of: command.target)
        try #require(KubectlEquivalenceCluster.differences(before, try viaMedic.state(of: request.target)).isEmpty,
                     "the two clusters differ before acting")

        let run = try await viaKubectl.kubectl(try #require(command.kubectlArguments))
        try #require(run.status == 0, "\(command.kubectlCommand ?? "") exited \(run.status): \(run.output)")
        let afterKubectl = try viaKubectl.state(of: command.target)
        if let name = command.action.as(DeletePod.self)?.name {
            // The ReplicaSet replaces the pod at once, so only its name shows the change.
            #expect(viaKubectl.sim.get(.pod, namespace: "shop", name: name) == nil, "kubectl left pod \(name) in place")
        } else {
            let changed = afterKubectl != before
            #expect(changed, "\(command.kubectlCommand ?? "") changed nothing, so the comparison would prove nothing")
        }

        // The Executor renders from the object it re-reads, so ask the same question first to
        // tell "medic cannot render this yet" apart from "medic renders it differently".
        let live = try #require(viaMedic.sim.get(.deployment, namespace: "shop", name: "api"))
        let rendered = Result { () throws(RemediationError) in
            try request.apiRequest(current: PodTemplateSnapshot(workloadJSON: live.serialized()))
        }
        if case .failure(let error) = rendered, error.code == .notRenderable {
            Issue.record("medic has no API request for \(request.action.type) yet, so its equivalence with `\(command.kubectlCommand ?? "")` is unproven: \(error.description)")
            return
        }
        // kubectl stamps a restart with its own clock; medic's clock is set to that instant so the
        // stamps, and the pod-template-hash derived from the template, can be compared exactly.
        let stamp = viaKubectl.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template", "metadata", "annotations", Self.restartedAt]]?.string
        let now = try stamp.map { try #require(ISO8601DateFormatter().date(from: $0), "kubectl's stamp \($0) is not RFC 3339") }
            ?? KubectlEquivalenceCluster.fixedTime
        let result = try await viaMedic.medic(request, now: now)
        try #require(result == .applied, "medic's request for \(request.action.type): \(result.summary)")

        let differences = KubectlEquivalenceCluster.differences(afterKubectl, try viaMedic.state(of: request.target))
        #expect(differences.isEmpty, "`\(command.kubectlCommand ?? "")` and medic's request differ:\n\(differences.joined(separator: "\n"))")
        if let name = request.action.as(DeletePod.self)?.name {
            #expect(viaMedic.sim.get(.pod, namespace: "shop", name: name) == nil, "medic left pod \(name) in place")
        }
    }
}
