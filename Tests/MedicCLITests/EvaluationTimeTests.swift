import Foundation
import Testing

/// When medic evaluates: a snapshot at its capture time unless `--at` says otherwise, a
/// warning when the evaluation time is far from the data, and `--at` values that cannot be
/// meant refused with the value that would be.
@Suite struct EvaluationTimeTests {
    let snapshot = MedicBinary.incident.appendingPathComponent("snapshot.json").path

    @Test func aSnapshotIsEvaluatedAtItsCaptureTime() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("5 problems found among 7 workloads and 7 services in \(snapshot) at 2026-11-20T03:00:00Z"))
        #expect(result.stdout.contains("auth in auth-service was OOMKilled 5× recently"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func anEvaluationTimeFarFromTheCaptureIsAWarningAfterTheAnswer() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", "2026-11-22T03:00:00Z"])
        #expect(result.stdout.hasPrefix("5 problems found"))
        #expect(result.stderr == "medic: warning: the evaluation time 2026-11-22T03:00:00Z is 2d after \(snapshot) was "
            + "captured (2026-11-20T03:00:00Z); ages and 'recent' conditions are measured from the evaluation time\n")
    }

    @Test func aKubectlSnapshotFarFromNowSuggestsItsNewestTimestamp() throws {
        let fixture = MedicBinary.fixtures.appendingPathComponent("oom-recent.json").path
        let result = try MedicBinary.run(["advise", "--snapshot", fixture, "--at", "2027-01-01T00:00:00Z"])
        #expect(result.stderr.contains("medic: warning: \(fixture) does not say when it was saved, and its newest timestamp ("))
        #expect(result.stderr.contains("before the evaluation time 2027-01-01T00:00:00Z; if it was saved then, pass --at 2026-11-"))
        let early = try MedicBinary.run(["advise", "--snapshot", fixture, "--at", "2026-01-01T00:00:00Z"])
        #expect(early.stderr.contains("before the newest timestamp in \(fixture)"))
    }

    @Test func implausibleInstantsAreRefusedWithTheMeantValue() throws {
        let milliseconds = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", "1795143600000"])
        #expect(milliseconds.status == 2)
        #expect(milliseconds.stderr.contains(
            "--at '1795143600000' looks like milliseconds since 1970; medic takes seconds: --at 1795143600 (2026-11-20T03:00:00Z)"))
        let farFuture = try MedicBinary.run(["explain", "oom-killed", "--snapshot", snapshot, "--at", "999999999999999999"])
        #expect(farFuture.status == 2)
        #expect(farFuture.stderr.contains("--at '999999999999999999' is after the year 9999"))
        let fiveDigitYear = try MedicBinary.run(["advise", "--snapshot", snapshot, "--at", "12026-11-20T03:00:00Z"])
        #expect(fiveDigitYear.status == 2)
        #expect(fiveDigitYear.stderr.contains("--at '12026-11-20T03:00:00Z' is after the year 9999"))
    }
}

/// Missing data is never reported as health: a namespace that does not exist, a Prometheus
/// that does not answer, a directory where a snapshot file belongs.
@Suite struct MissingDataTests {
    let snapshot = MedicBinary.incident.appendingPathComponent("snapshot.json").path

    @Test func anUnknownNamespaceInASnapshotIsAnInputErrorListingTheKnownOnes() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--namespace", "prodution"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "medic: namespace 'prodution' does not exist in \(snapshot). Did you mean 'production'? "
            + "Namespaces it has: kube-system, production\n")
    }

    @Test func anUnknownNamespaceInALiveClusterIsAnInputErrorToo() async throws {
        try await RunCommandTests.withKubeSim { kubeconfig, scratch in
            let result = try MedicBinary.run(["advise", "--kubeconfig", kubeconfig, "--namespace", "prodution"])
            #expect(result.status == 2, "\(result.stdout)")
            #expect(result.stderr.contains("namespace 'prodution' does not exist in "))
            #expect(result.stderr.contains("Did you mean 'production'?"))
            let saved = scratch.appendingPathComponent("saved.json").path
            let snapshot = try MedicBinary.run(["snapshot", "--kubeconfig", kubeconfig, "-o", saved])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let text = try String(contentsOfFile: saved, encoding: .utf8)
            #expect(text.contains("\"medic.io/captured-at\""))
        }
    }

    @Test func aFailingPrometheusIsOneLineAboveTheAnswer() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", snapshot, "--namespace", "kube-system",
                                          "--prometheus", "http://127.0.0.1:1", "--query-timeout", "2"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("Warning: Prometheus at http://127.0.0.1:1 failed all ") == true, "\(result.stdout)")
        #expect(lines.filter { $0.hasPrefix("Warning: Prometheus") }.count == 1)
        let everywhere = try MedicBinary.run(["advise", "--snapshot", snapshot, "--prometheus", "http://127.0.0.1:1",
                                              "--query-timeout", "2"])
        let first = try #require(everywhere.stdout.split(separator: "\n").first)
        #expect(first.contains("not decided"))
        #expect(first.contains("pool-exhaustion"))
        // JSON keeps its contract; the line goes to stderr with the other warnings.
        let json = try MedicBinary.run(["advise", "--snapshot", snapshot, "--prometheus", "http://127.0.0.1:1",
                                        "--query-timeout", "2", "--output", "json"])
        #expect(json.stdout.hasPrefix("{"))
        #expect(json.stderr.hasPrefix("medic: warning: Prometheus at http://127.0.0.1:1 failed all "), "\(json.stderr)")
    }

    @Test func aDirectoryAsSnapshotSaysWhatFileIsExpected() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", MedicBinary.incident.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(MedicBinary.incident.path): is a directory; a snapshot is one JSON file"))
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
        let explain = try MedicBinary.run(["explain", "oom-killed", "--snapshot", MedicBinary.incident.path])
        #expect(explain.status == 2)
        #expect(explain.stderr.contains("is a directory; a snapshot is one JSON file"))
    }
}
