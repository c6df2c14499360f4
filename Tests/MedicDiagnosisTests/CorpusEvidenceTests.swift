import Foundation
import MedicDiagnosis
import MedicKube
import Testing

/// "Never mutate on a guess", checked on every corpus case: take evidence away (the revision
/// history, the events, the logs, the termination records, the Endpoints) and medic may say
/// less, but it must never propose a change it did not propose with the full evidence.
@Suite struct CorpusEvidenceTests {
    /// Ways the evidence of a real incident goes missing: a partial `kubectl get`, events
    /// expired after an hour, no `medic snapshot` logs, a kubelet that restarted.
    static let removals: [(String, @Sendable (inout Snapshot) -> Void)] = [
        ("no ReplicaSets", { $0.replicaSets = [] }),
        ("no Events", { $0.events = [] }),
        ("no previous logs", { $0.podLogs = [] }),
        ("no Endpoints", { $0.endpoints = [] }),
        ("no termination records", { snapshot in
            for index in snapshot.pods.indices {
                for container in snapshot.pods[index].status.containerStatuses.indices {
                    snapshot.pods[index].status.containerStatuses[container].lastState = .init()
                }
            }
        }),
        ("no pod conditions", { snapshot in
            for index in snapshot.pods.indices { snapshot.pods[index].status.conditions = [] }
        }),
    ]

    @Test func lessEvidenceNeverProposesAChangeMoreEvidenceDidNot() throws {
        let (runbooks, errors) = CorpusScorer.loadRunbooks()
        let (cases, caseErrors) = CorpusScorer.loadCases()
        #expect(errors.isEmpty && caseErrors.isEmpty, "\(errors + caseErrors)")
        #expect(cases.count >= 32)
        let diagnoser = Diagnoser(runbooks: runbooks)
        func mutations(_ snapshot: Snapshot, at time: Date) -> Set<String> {
            let report = diagnoser.diagnose(ClusterView(snapshot), metrics: [:], options: .init(now: time))
            return Set(report.findings.flatMap { finding in
                finding.actions.filter { $0.type != "notify" }.map { "\($0.type) \($0.command ?? "")" }
            })
        }
        var checked = 0
        for loaded in cases {
            let full = mutations(loaded.snapshot, at: loaded.evalTime)
            for (what, remove) in Self.removals {
                var weaker = loaded.snapshot
                remove(&weaker)
                let guessed = mutations(weaker, at: loaded.evalTime).subtracting(full)
                #expect(guessed.isEmpty, "\(loaded.file) with \(what): \(guessed.sorted())")
                checked += 1
            }
        }
        #expect(checked == cases.count * Self.removals.count)
    }
}
