import Foundation
import MedicAudit
import MedicKube
import Testing
@testable import MedicReport

@Suite struct IncidentReportTests {
    @Test func phasesOfARealRunAreReadFromItsRecords() throws {
        let records = try ReportFixture.poolLeak()
        let report = IncidentReport(records: records)
        let firstFinding = try #require(records.first { $0.type == .finding })
        let firstApplied = try #require(records.first { $0.type == .outcome })
        let verified = try #require(records.last { $0.type == .verification })
        #expect(report.phase(.detected)?.time == firstFinding.time)
        #expect(report.phase(.contained)?.time == firstApplied.time)
        #expect(report.phase(.diagnosed)?.time == records.first { $0.type == .decision }?.time)
        #expect(report.phase(.resolved)?.time == verified.time)
        #expect(report.isResolved)
        #expect(report.duration == verified.time.timeIntervalSince(firstFinding.time))
        let restart = try #require(report.actions.first { $0.type == "rollout-restart" })
        #expect(restart.command == "kubectl -n inventory rollout restart deployment/stock-service")
        #expect(restart.approvedBy == "policy (automatic)")
        #expect(restart.verification?.passed == true)
        #expect(report.humanTasks.first?.contains("the code must return its connections to the pool") == true)
    }

    @Test func rootCauseComesFirstEvenWhenFoundLater() {
        let report = IncidentReport(records: ReportFixture.symptomThenCause())
        #expect(report.findings.map(\.runbook) == ["dependency", "error-rate-rise"])
        #expect(report.findings[0].isRootCause)
        #expect(report.findings[1].causes == ["dependency/Deployment/shop/db"])
        #expect(report.findings[1].evidence.isEmpty)
        // Detected at the symptom; diagnosed when the cause's fix was chosen; contained when applied.
        let start = ReportFixture.start
        #expect(report.phase(.detected)?.time == start.addingTimeInterval(10))
        #expect(report.phase(.diagnosed)?.time == start.addingTimeInterval(30))
        #expect(report.phase(.contained)?.time == start.addingTimeInterval(101))
        #expect(report.phase(.resolved)?.time == start.addingTimeInterval(400))
        #expect(report.actions.first?.approvedBy == "alice")
        #expect(report.humanTasks == ["db lost its volume; find out why"])
    }

    @Test func secretsAreMaskedInEvidenceAndCommands() {
        let report = IncidentReport(records: ReportFixture.symptomThenCause())
        let document = ReportDocument(report: report, charts: [], rules: AlertRules(report: report), rulesFile: "r.yaml")
        for text in [document.markdown(), document.html()] {
            #expect(!text.contains("hunter2"))
            #expect(text.contains("postgres://app:****@db:5432/app"))
            #expect(text.contains("DB_PASSWORD=****"))
        }
    }

    @Test func aFailedFixLeavesTheIncidentOpenAndNamesTheWork() {
        var records = ReportFixture.symptomThenCause()
        let index = records.firstIndex { $0.type == .verification }!
        records[index].payload = AuditPayload(passed: false, detail: "db still not ready")
        let report = IncidentReport(records: records)
        #expect(!report.isResolved)
        #expect(report.phase(.resolved)?.because == "rollout-restart on Deployment shop/db did not fix it")
        #expect(report.humanTasks.contains { $0.contains("did not fix it: db still not ready") })
        #expect(ReportDocument.answer(report).hasPrefix("**What broke:** db is down"))
        #expect(ReportDocument.answer(report).contains("**Not resolved**"))
    }

    @Test func anEmptyLogSaysNothingBroke() {
        let report = IncidentReport(records: ReportFixture.records([]))
        #expect(report.findings.isEmpty)
        #expect(report.phases.allSatisfy { $0.time == nil })
        #expect(ReportDocument.answer(report).contains("records no finding"))
    }
}
