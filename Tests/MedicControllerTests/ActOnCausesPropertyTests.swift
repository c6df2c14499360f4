import Foundation
@testable import KubeSim
import MedicAudit
import MedicController
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRunbook
import Testing

/// The property behind "act on causes only", over random service graphs and fault sets: one
/// real reconcile pass (KubeSim, the diagnosis with its incident grouping, the act stage, the
/// audit log) never changes a workload whose only findings have an open cause, records each
/// such symptom as waiting for it, and does act on the causes.
@Suite("act on causes only: random graphs and faults", .timeLimit(.minutes(2)))
struct ActOnCausesPropertyTests {
    static let trials = 100
    static let concurrent = 4

    /// A random shop: workloads `w0…`, each behind a Service of its name, calling some of the
    /// others through an env address or the depends-on annotation. A faulted workload is
    /// OOM-killed (a cause: no dependency explains it); a slow one has a finding a failing
    /// dependency can explain. Slowness spreads to every caller of a faulted or slow workload,
    /// as a real outage would; some workloads are slow by themselves.
    struct Shop: CustomStringConvertible {
        var namespace: String
        var calls: [[Int]]
        var throughAnnotation: [[Bool]]
        var faulted: [Bool]
        var slow: [Bool]

        init(trial: Int) {
            var rng = SplitMix64(name: "act-on-causes/\(trial)")
            let count = 2 + Int(rng.next() % 5)
            namespace = "trial-\(trial)"
            calls = (0..<count).map { caller in (0..<count).filter { $0 != caller && rng.unit() < 0.35 } }
            throughAnnotation = calls.map { $0.map { _ in rng.unit() < 0.3 } }
            faulted = (0..<count).map { _ in rng.unit() < 0.3 }
            let selfSlow = (0..<count).map { _ in rng.unit() < 0.15 }
            slow = selfSlow
            var changed = true
            while changed {
                changed = false
                for caller in 0..<count where !slow[caller] && calls[caller].contains(where: { faulted[$0] || slow[$0] }) {
                    slow[caller] = true
                    changed = true
                }
            }
        }

        var count: Int { calls.count }

        func name(_ index: Int) -> String { "w\(index)" }

        func ref(_ index: Int) -> ObjectRef { ObjectRef(kind: "Deployment", namespace: namespace, name: name(index)) }

        /// Whether `from` calls `to`, directly or through others.
        func reaches(_ from: Int, _ to: Int) -> Bool {
            var stack = [from], seen: Set<Int> = [from]
            while let node = stack.popLast() {
                for next in calls[node] {
                    if next == to { return true }
                    if seen.insert(next).inserted { stack.append(next) }
                }
            }
            return false
        }

        var manifests: String {
            var documents = ["apiVersion: v1\nkind: Namespace\nmetadata: {name: \(namespace)}"]
            for index in 0..<count {
                let env = zip(calls[index], throughAnnotation[index]).filter { !$0.1 }
                    .map { "{name: \(name($0.0).uppercased())_URL, value: \"http://\(name($0.0)):8080/v1\"}" }
                    + (faulted[index] ? ["{name: MEMORY_NEEDED_MI, value: \"200\"}"] : [])
                let annotated = zip(calls[index], throughAnnotation[index]).filter(\.1).map { name($0.0) }
                let annotations = annotated.isEmpty ? "{}" : "{\(ServiceGraph.dependsOnAnnotation): \"\(annotated.joined(separator: ","))\"}"
                documents.append("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: \(name(index)), namespace: \(namespace)}
                    spec: {selector: {app: \(name(index))}, ports: [{port: 8080}]}
                    """)
                documents.append("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: \(name(index)), namespace: \(namespace), labels: {app: \(name(index)), slow: "\(slow[index])"}, annotations: \(annotations)}
                    spec:
                      replicas: 1
                      selector: {matchLabels: {app: \(name(index))}}
                      template:
                        metadata: {labels: {app: \(name(index))}}
                        spec:
                          containers:
                          - name: app
                            image: shop/\(name(index)):1.0
                            env: [\(env.joined(separator: ", "))]
                            resources: {limits: {memory: 128Mi}}
                    """)
            }
            return documents.joined(separator: "\n---\n")
        }

        var description: String {
            (0..<count).map { index in
                "\(name(index))\(faulted[index] ? " OOM" : "")\(slow[index] ? " slow" : "") → "
                    + calls[index].map(name).joined(separator: ",")
            }.joined(separator: "; ")
        }
    }

    static let slow = """
        apiVersion: medic.io/v1
        kind: Runbook
        metadata: {name: slow, severity: high, title: slow or saturated, explainedBy: [dependency]}
        target: workload
        detect:
          - id: marked-slow
            cel: workload.labels["slow"] == "true"
        summary: "{{ workload.name }} is slow"
        remediate:
          - actions:
              - action: scale
                replicas: "2"
        """

    @Test("for random graphs and fault sets, no symptom whose cause is open is acted on; the causes are")
    func neverActsOnASymptom() async throws {
        let started = try await ReconcilerHarness.start(memoryNeeded: 64)
        let harness = started.with(runbooks: started.runbooks + [try RunbookLoader.parse(Self.slow, file: "slow.yaml")])
        defer { Task { await harness.stop() } }
        let policy = try PolicyLoader.parse(ActOnCausesTests.policy, file: "policy.yaml")
        var tally = Tally()
        // Trials run a few at a time, each in its own namespace with its own audit log.
        try await withThrowingTaskGroup(of: Tally.self) { group in
            for trial in 0..<Self.trials {
                if trial >= Self.concurrent { tally += try await group.next()! }
                group.addTask { try await Self.check(Shop(trial: trial), harness: harness, policy: policy) }
            }
            for try await done in group { tally += done }
        }
        // Not vacuous: most runs had symptoms waiting and causes acted on, some through loops.
        #expect(tally.symptoms > Self.trials && tally.causes > Self.trials && tally.loops > 10, "\(tally)")
    }

    /// How many symptoms waited, causes were acted on, and links were left out to break a loop.
    struct Tally {
        var symptoms = 0, causes = 0, loops = 0

        static func += (lhs: inout Tally, rhs: Tally) {
            lhs.symptoms += rhs.symptoms
            lhs.causes += rhs.causes
            lhs.loops += rhs.loops
        }
    }

    /// One pass over `shop`, checked.
    static func check(_ shop: Shop, harness: ReconcilerHarness, policy: Policy) async throws -> Tally {
        var tally = Tally()
        let trial = shop.namespace
        try harness.sim.load(manifests: shop.manifests)
        let url = harness.directory.appendingPathComponent("\(shop.namespace).jsonl")
        let audit = try AuditLog(url: url, name: "test", now: harness.clock.now)
        let pass = await harness.reconciler(policy: policy, audit: audit, namespace: shop.namespace).pass()
        let context = "\(trial) [\(shop)]"
        #expect(pass.errors.isEmpty, "\(context): \(pass.errors)")

        // The generator's faults are exactly what medic found.
        let expected = (0..<shop.count).flatMap { index in
            (shop.faulted[index] ? ["oom-killed/\(shop.ref(index))"] : []) + (shop.slow[index] ? ["slow/\(shop.ref(index))"] : [])
        }
        #expect(Set(pass.findings.map { "\($0.runbook)/\($0.target)" }) == Set(expected), "\(context)")

        let open = Set(pass.findings.map(\.id))
        let records = try AuditLog.records(at: url)
        let sent = Set(pass.executions.map(\.actionID))
        var rooted: Set<ObjectRef> = []
        for finding in pass.findings {
            let decided = pass.decisions.filter { $0.identity.runbook == finding.runbook && $0.identity.target == finding.target }
            #expect(!decided.isEmpty, "\(context): \(finding.id) was not decided at all")
            let index = Int(finding.target.name.dropFirst())!
            if finding.causedBy.isEmpty {
                tally.causes += 1
                rooted.insert(finding.target)
                #expect(decided.allSatisfy { !$0.reasons.contains { $0.hasPrefix("waiting for the cause") } }, "\(context)")
                // A dependency left out of the causes only to break a loop of calls (an OOM
                // kill, which no dependency explains, is a cause whatever it calls).
                for dependency in shop.calls[index] where finding.runbook == "slow" && (shop.faulted[dependency] || shop.slow[dependency]) {
                    #expect(shop.reaches(dependency, index), "\(context): \(finding.id) is acted on while w\(dependency) fails")
                    tally.loops += 1
                }
                continue
            }
            tally.symptoms += 1
            #expect(finding.causedBy.allSatisfy(open.contains), "\(context)")
            // The causes are findings on workloads it calls.
            let called = Set(shop.calls[index].map(shop.ref))
            #expect(pass.findings.filter { finding.causedBy.contains($0.id) }.allSatisfy { called.contains($0.target) }, "\(context)")
            for decision in decided {
                #expect(decision.verdict == .blocked && decision.incident != nil, "\(context)")
                #expect(records.contains { $0.type == .decision && $0.action == decision.actionID && $0.payload.verdict == "waiting" },
                        "\(context): the wait of \(decision.actionID) is not in the log")
                #expect(decision.reasons.first?.hasPrefix("waiting for the cause: \(finding.causedBy.joined(separator: ", "))") == true,
                        "\(context): \(decision.reasons)")
                #expect(!sent.contains(decision.actionID), "\(context)")
            }
            let recorded = records.first { $0.type == .finding && $0.target == finding.target && $0.payload.runbook == finding.runbook }
            #expect(finding.causedBy.allSatisfy { cause in recorded?.payload.evidence?.contains("waiting for the cause: \(cause)") == true },
                    "\(context): \(recorded?.payload.evidence ?? [])")
        }

        // The causes were acted on, and nothing else was: every request medic sent (its intent
        // in the audit log) is for a workload with a root cause, and every such workload got one.
        let intents = Set(records.filter { $0.type == .intent }.compactMap(\.target))
        #expect(intents == rooted, "\(context)")
        for index in 0..<shop.count {
            let deployment = harness.sim.get(.deployment, namespace: shop.namespace, name: shop.name(index))
            let replicas = deployment?[path: ["spec", "replicas"]]?.int
            let memory = deployment?[path: ["spec", "template", "spec", "containers"]]?.array?.first?[path: ["resources", "limits", "memory"]]?.string
            if !rooted.contains(shop.ref(index)) {
                #expect(replicas == 1 && memory == "128Mi", "\(context): \(shop.name(index)) changed though no cause of its own is open")
            }
            if shop.faulted[index] { #expect(memory == "256Mi", "\(context): \(shop.name(index))'s OOM kill was not fixed") }
        }
        return tally
    }
}
