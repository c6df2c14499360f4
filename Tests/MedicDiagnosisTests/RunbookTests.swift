import Foundation
import Testing
@testable import MedicDiagnosis
import MedicProm

/// Each built-in runbook on its positive, negative and ambiguous fixtures: what the finding
/// says and proposes, not just whether there is one.
@Suite struct RunbookTests {
    // MARK: oom-killed

    @Test func oomRecentDoublesTheLimit() throws {
        let report = try RunbookFixtures.diagnose("oom-recent.json", with: "oom-killed")
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.target.description == "Deployment production/cart")
        #expect(finding.severity == .high)
        #expect(finding.summary == "cart in cart was OOMKilled 3× recently (memory limit 128Mi)")
        #expect(finding.evidence.contains { $0.contains("cart-587645b46d-2n9vt") && $0.contains("exit code 137") })
        #expect(finding.commands == ["kubectl -n production set resources deployment/cart -c cart --limits=memory=256Mi"])
    }

    @Test func durationsInTheEvidenceAreWholeSeconds() throws {
        let now = RunbookFixtures.instant.addingTimeInterval(0.858928204)
        let finding = try #require(try RunbookFixtures.diagnose("oom-recent.json", with: "oom-killed", at: now).findings.first)
        let evidence = try #require(finding.evidence.first { $0.contains("before the evaluation time") })
        #expect(!evidence.contains("."), "\(evidence)")
    }

    @Test func oomThreeDaysAgoIsHistory() throws {
        let report = try RunbookFixtures.diagnose("oom-stale.json", with: "oom-killed")
        #expect(report.findings.isEmpty)
        #expect(report.undecided.isEmpty)
    }

    @Test func oomWithoutALimitOnlyNotifies() throws {
        let finding = try #require(try RunbookFixtures.diagnose("oom-no-limit.json", with: "oom-killed").findings.first)
        #expect(finding.types == ["notify"])
        #expect(finding.commands.isEmpty)
        #expect(finding.summary.contains("memory limit not set"))
        #expect(finding.notifyMessage?.contains("no memory limit") == true)
    }

    @Test func oddContainerNameIsNeverRenderedIntoACommand() throws {
        let finding = try #require(try RunbookFixtures.diagnose("odd-names.json", with: "oom-killed").findings.first)
        #expect(finding.target.name == "legacy-billing")
        #expect(finding.commands.isEmpty)
        #expect(finding.types == ["notify"])
        #expect(finding.notifyMessage?.hasPrefix("medic did not build set-resources because") == true)
    }

    // MARK: selector-mismatch

    @Test func selectorMismatchPointsAtTheIntendedWorkload() throws {
        let report = try RunbookFixtures.diagnose("selector-mismatch.json", with: "selector-mismatch")
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.target.description == "Service production/payments")
        #expect(finding.severity == .critical)
        #expect(finding.summary == #"Service payments selects no pods ({"app":"payment"}): it was meant for Deployment payments"#)
        #expect(finding.commands == [
            #"kubectl -n production patch service payments --type=merge -p '{"spec":{"selector":{"app":"payments"}}}'"#,
        ])
    }

    @Test func twoPlausibleWorkloadsMeansAHumanChooses() throws {
        let finding = try #require(try RunbookFixtures.diagnose("selector-ambiguous.json", with: "selector-mismatch")
            .findings.first)
        #expect(finding.target.name == "checkout")
        #expect(finding.types == ["notify"])
        #expect(finding.notifyMessage?.contains("checkout, checkout-canary") == true)
    }

    @Test func workingServiceIsNoFinding() throws {
        #expect(try RunbookFixtures.diagnose("selector-ok.json", with: "selector-mismatch").findings.isEmpty)
    }

    // MARK: probe-port

    @Test func probeMovesToTheServedPort() throws {
        let finding = try #require(try RunbookFixtures.diagnose("probe-port.json", with: "probe-port").findings.first)
        #expect(finding.target.description == "Deployment production/web")
        #expect(finding.summary == "liveness probe of web in web checks port 8080, but the container serves 3000")
        #expect(finding.evidence.contains { $0.contains("connection refused") })
        #expect(finding.types == ["patch-probe"])
        #expect(finding.commands.first?.hasPrefix("kubectl -n production patch deployment web --type=strategic -p ") == true)
        #expect(finding.commands.first?.contains(#""httpGet":{"port":3000}"#) == true)
    }

    @Test func twoServedPortsMeansAHumanChooses() throws {
        let finding = try #require(try RunbookFixtures.diagnose("probe-port-ambiguous.json", with: "probe-port")
            .findings.first)
        #expect(finding.types == ["notify"])
        #expect(finding.notifyMessage?.contains("3000, 9090") == true)
    }

    @Test func probeOnTheDeclaredPortIsNoFinding() throws {
        #expect(try RunbookFixtures.diagnose("probe-ok.json", with: "probe-port").findings.isEmpty)
    }

    // MARK: chaos-flag

    @Test func chaosFlagIsSwitchedOff() throws {
        let report = try RunbookFixtures.diagnose("chaos-on.json", with: "chaos-flag")
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.target.description == "Deployment production/inventory")
        #expect(finding.summary.hasPrefix("Fault injection CHAOS_FAILURE_RATE=0.5 is switched on"))
        #expect(finding.commands.count == 1)
        #expect(finding.commands[0].hasPrefix("kubectl -n production set env deployment/inventory -c "))
        #expect(finding.commands[0].hasSuffix(" CHAOS_FAILURE_RATE=0"))
        // The error rate is evidence only: without Prometheus it is unknown, not a blocker.
        #expect(finding.conditions.first { $0.id == "errors" }?.truth == .unknown)
    }

    @Test func switchedOffFlagsAreNoFinding() throws {
        #expect(try RunbookFixtures.diagnose("chaos-off.json", with: "chaos-flag").findings.isEmpty)
    }

    @Test func namespaceMarkedForChaosIsNoFinding() throws {
        #expect(try RunbookFixtures.diagnose("chaos-namespace-marked.json", with: "chaos-flag").findings.isEmpty)
    }

    // MARK: bad-image

    @Test func missingTagGoesBackToTheLastImageThatRan() throws {
        let finding = try #require(try RunbookFixtures.diagnose("bad-image.json", with: "bad-image").findings.first)
        #expect(finding.target.description == "Deployment production/catalog")
        #expect(finding.summary.hasPrefix("image registry.cloudmart.io/catalog:2.5.0 of catalog in catalog does not exist"))
        #expect(finding.commands == [
            "kubectl -n production set image deployment/catalog catalog=registry.cloudmart.io/catalog:2.4.1",
        ])
    }

    @Test func authorizationFailureIsNotBadImage() throws {
        #expect(try RunbookFixtures.diagnose("bad-image-auth.json", with: "bad-image").findings.isEmpty)
    }

    @Test func noImageEverRanMeansAHumanDecides() throws {
        let finding = try #require(try RunbookFixtures.diagnose("bad-image-no-previous.json", with: "bad-image")
            .findings.first)
        #expect(finding.types == ["notify"])
        #expect(finding.evidence.contains { $0.hasPrefix("no earlier revision of search") })
    }

    @Test func dockerHubsAmbiguousAnswerOnlyNotifies() throws {
        let finding = try #require(try RunbookFixtures.diagnose("bad-image-dockerhub-ambiguous.json", with: "bad-image")
            .findings.first)
        #expect(finding.types == ["notify"])
        #expect(finding.summary.contains("does not exist or needs credentials"))
        #expect(finding.notifyMessage?.contains("cloudmart/recommender:3.0.4 ran before") == true)
    }

    // MARK: pool-exhaustion without metrics

    @Test func poolExhaustionWithoutPrometheusIsUndecidedNotHealthy() throws {
        let report = try RunbookFixtures.diagnose("pool.json", with: "pool-exhaustion")
        #expect(report.findings.isEmpty)
        let check = try #require(report.undecided.first { $0.target.name == "order-service" })
        #expect(check.conditions.first?.truth == .unknown)
        #expect(check.conditions.first?.detail == "no Prometheus to ask (use --prometheus URL)")
    }

    @Test func prometheusFailureIsUndecided() throws {
        let diagnoser = Diagnoser(runbooks: [try RunbookFixtures.runbook("pool-exhaustion")])
        let metrics = Dictionary(uniqueKeysWithValues: diagnoser.metricQueries.map {
            ($0, MetricData.unavailable(reason: "Prometheus at http://127.0.0.1:1 is unreachable"))
        })
        let report = diagnoser.diagnose(try RunbookFixtures.cluster("pool.json"), metrics: metrics,
                                        options: .init(now: RunbookFixtures.instant))
        #expect(report.findings.isEmpty)
        #expect(report.undecided.first?.conditions.first?.detail == "Prometheus at http://127.0.0.1:1 is unreachable")
    }

    // MARK: the whole set together

    @Test func everyRunbookOnOneSnapshotOrdersBySeverity() throws {
        let runbooks = try MedicRunbookLoad.all()
        let cluster = try RunbookFixtures.cluster("selector-mismatch.json")
        let report = Diagnoser(runbooks: runbooks).diagnose(cluster, metrics: [:], options: .init(now: RunbookFixtures.instant))
        #expect(report.findings.map(\.runbook) == ["selector-mismatch"])
    }

    @Test func namespaceFilterLimitsTargets() throws {
        let cluster = try RunbookFixtures.cluster("oom-recent.json")
        let diagnoser = Diagnoser(runbooks: [try RunbookFixtures.runbook("oom-killed")])
        let elsewhere = diagnoser.diagnose(cluster, metrics: [:], options: .init(now: RunbookFixtures.instant,
                                                                                  namespace: "staging"))
        #expect(elsewhere.findings.isEmpty)
    }
}

import MedicRunbook

enum MedicRunbookLoad {
    static func all() throws -> [Runbook] { try RunbookLoader.loadDirectory(RunbookFixtures.runbookDirectory) }
}
