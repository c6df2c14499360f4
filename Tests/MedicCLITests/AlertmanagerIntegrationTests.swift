import Foundation
import Testing

/// Alert intake end to end (scripts/alert-e2e.sh): KubeSim plays the bad-rollout scenario, the
/// real Prometheus fires KubePodCrashLooping on its metrics, the real Alertmanager posts it with
/// a bearer token to `medic run --mode advise --interval 300s`, and medic answers it at once;
/// `kubectl rollout undo` then fixes it, the alert resolves, and medic closes its incident.
@Suite("Alertmanager → medic, end to end")
struct AlertmanagerIntegrationTests {
    @Test("a firing alert starts a pass at once, answered by its runbook's finding on the pod's Deployment; its resolve closes it")
    func aFiringAlertIsAnsweredAtOnce() throws {
        let run = try MedicBinary.run(
            ["90"], in: MedicBinary.repository, timeout: 110,
            executable: MedicBinary.repository.appendingPathComponent("scripts/alert-e2e.sh"),
            environment: ["MEDIC_BUILD_DIR": MedicBinary.executable.deletingLastPathComponent().path])
        let transcript = "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr.suffix(6000))"
        #expect(run.status == 0, "\(transcript)")
        let lines = run.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        func time(_ line: [String: Any]?) -> Date? { (line?["time"] as? String).flatMap { try? Date($0, strategy: .iso8601) } }
        let received = lines.first { $0["message"] as? String == "alerts received" }
        #expect((received?["alerts"] as? [String])?.first?.hasPrefix("KubePodCrashLooping firing Pod hotel/profile-") == true,
                "\(transcript)")
        let answer = try #require(lines.first { ($0["message"] as? String)?.hasPrefix("alert KubePodCrashLooping") == true },
                                  "\(transcript)")
        #expect((answer["message"] as? String)?.contains(") → finding start-error on Deployment hotel/profile: ") == true)
        #expect(answer["findings"] as? [String] == ["start-error/Deployment/hotel/profile"])
        #expect(answer["incidents"] as? [String] == ["start-error/Deployment/hotel/profile"])
        // The first pass at start, then the alert's, within seconds of the alert, not 300 s later.
        let delay = try #require(time(answer)).timeIntervalSince(try #require(time(received)))
        #expect((0..<5).contains(delay), "the alert's pass came \(delay) s after the alert")
        // Resolved after the rollback: one more pass at once closes the incident, and finds nothing.
        let closed = try #require(lines.first { ($0["message"] as? String)?.contains(") resolved: ") == true }, "\(transcript)")
        #expect((closed["message"] as? String)?.hasSuffix("resolved: incident start-error/Deployment/hotel/profile closed") == true)
        // Passes that changes to the watched cluster started come in between; the finding is
        // there until the rollback, and gone after it.
        let findings = lines.filter { $0["message"] as? String == "pass finished" }.compactMap { $0["findings"] as? Int }
        #expect(findings.first == 1 && findings.last == 0 && findings == findings.sorted(by: >), "\(transcript)")
    }
}
