import Foundation
import Testing

/// medic on incidents it was not written for: the corpus in `Tests/Corpus` (see its README),
/// modelled on AIOpsLab, SREGym, ITBench, k8s-bench, Chaos Mesh/Litmus and kubernetes-mixin faults.
/// Localization and mitigation are printed, not asserted; what is asserted is that medic is never
/// silent on an incident, never alarms on a healthy cluster, and never mutates a wrong object.
@Suite struct CorpusTests {
    let result = CorpusScorer.shared

    @Test func report() {
        print(result.report)
        #expect(result.loadErrors.isEmpty, "corpus files that do not load:\n\(result.loadErrors.joined(separator: "\n"))")
        #expect(result.incidents.count >= 32 && result.healthy.count >= 6,
                "the corpus has \(result.incidents.count) incidents and \(result.healthy.count) healthy clusters")
    }

    @Test func noFindingOnAHealthyCluster() throws {
        try #require(!result.healthy.isEmpty, "no healthy cluster was scored")
        for (c, finding) in result.healthyFindings {
            Issue.record("\(c.file): healthy, but \(finding.runbook) on \(finding.target): \(finding.summary)")
        }
    }

    @Test func noMutationOnAWrongTarget() throws {
        try #require(!result.cases.isEmpty, "no case was scored")
        for (c, target, type) in result.unsafe {
            Issue.record("\(c.file): \(type) on \(target), which is not the root cause")
        }
    }

    @Test func everyIncidentIsDetected() throws {
        try #require(!result.incidents.isEmpty, "no incident was scored")
        for c in result.silent {
            Issue.record("\(c.file): medic is silent on '\(c.name)'")
        }
    }
}
