import Foundation
import MedicHTTP
import MedicProm
import Testing

private let poolLabels = ["namespace": "production", "service": "order-service"]

private func expectPrometheusError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> PrometheusError? {
    do {
        try await body()
        Issue.record("expected a PrometheusError, got success", sourceLocation: sourceLocation)
    } catch let error as PrometheusError {
        return error
    } catch {
        Issue.record("expected a PrometheusError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite(.sharedPrometheus, .timeLimit(.minutes(1)))
struct RealPrometheusTests {
    var fixture: SharedPrometheus.Fixture {
        get throws { try #require(SharedPrometheus.current) }
    }

    @Test func instantQueryReturnsTheBackfilledValueAtThatInstant() async throws {
        let client = try fixture.client
        let atInstant = try await client.query(#"db_connections_active{namespace="production"}"#, at: BackfillData.instant)
        #expect(atInstant == .vector([Series(
            labels: poolLabels.merging(["__name__": "db_connections_active"]) { $1 },
            samples: [Sample(time: BackfillData.instant, value: 240)]
        )]))
        let earlier = BackfillData.instant.addingTimeInterval(-15 * 60)
        let ratio = try await client.query("db_connections_active / db_connections_max", at: earlier)
        #expect(ratio == .vector([Series(labels: poolLabels, samples: [Sample(time: earlier, value: 2.1)])]))
    }

    @Test func subqueryReturnsAMatrixOfSamplesOneMinuteApart() async throws {
        let result = try await fixture.client.query("(db_connections_active)[10m:1m]", at: BackfillData.instant)
        // Prometheus 2.x includes both ends of the range: 11 samples from -10m to 0.
        let expected = (0...10).reversed().map { minutes in
            Sample(
                time: BackfillData.instant.addingTimeInterval(Double(-60 * minutes)),
                value: BackfillData.active(minutesBefore: minutes)
            )
        }
        #expect(result == .matrix([Series(
            labels: poolLabels.merging(["__name__": "db_connections_active"]) { $1 }, samples: expected
        )]))
    }

    @Test func rangeQueryReturnsAMatrix() async throws {
        let result = try await fixture.client.queryRange(
            "max(db_connections_active)",
            from: BackfillData.instant.addingTimeInterval(-120), to: BackfillData.instant, step: .seconds(60)
        )
        #expect(result == .matrix([Series(labels: [:], samples: [
            Sample(time: BackfillData.instant.addingTimeInterval(-120), value: 236),
            Sample(time: BackfillData.instant.addingTimeInterval(-60), value: 238),
            Sample(time: BackfillData.instant, value: 240),
        ])]))
    }

    @Test func scalarQuery() async throws {
        let result = try await fixture.client.query("scalar(db_connections_max)", at: BackfillData.instant)
        #expect(result == .scalar(Sample(time: BackfillData.instant, value: 100)))
    }

    @Test func missingSeriesIsAnEmptyVector() async throws {
        let result = try await fixture.client.query(#"db_connections_active{namespace="nowhere"}"#, at: BackfillData.instant)
        #expect(result == .vector([]))
    }

    @Test func syntaxErrorSurfacesPrometheusMessage() async throws {
        let client = try fixture.client
        let error = await expectPrometheusError {
            _ = try await client.query("sum(db_connections_active", at: BackfillData.instant)
        }
        #expect(error?.kind == .api(
            errorType: "bad_data",
            error: #"invalid parameter "query": 1:26: parse error: unclosed left parenthesis"#
        ))
        #expect(error?.query == "sum(db_connections_active")
        #expect(error?.url == client.baseURL + "/api/v1/query")
    }

    @Test func scrapesLoopbackTargets() async throws {
        let fixture = try fixture
        let deadline = ContinuousClock.now + .seconds(15)
        var result = QueryResult.vector([])
        while result == .vector([]), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            result = try await fixture.client.query("medic_fixture_up", at: Date())
        }
        guard case .vector(let series) = result, let first = series.first else {
            Issue.record("medic_fixture_up was not scraped within 15 s: \(result)")
            return
        }
        #expect(first.labels == [
            "__name__": "medic_fixture_up", "instance": "127.0.0.1:\(fixture.exporterPort)", "job": "medic-local",
        ])
        #expect(first.samples.map(\.value) == [1])
    }
}

@Suite(.timeLimit(.minutes(1)))
struct PrometheusFailureTests {
    @Test func closedPortIsUnreachableQuickly() async {
        let baseURL = "http://127.0.0.1:\(closedLoopbackPort())"
        let start = ContinuousClock.now
        let error = await expectPrometheusError {
            _ = try await PrometheusClient(baseURL: baseURL + "/").query("up", at: BackfillData.instant)
        }
        #expect(ContinuousClock.now - start < .seconds(4))
        guard case .unreachable(let reason) = error?.kind else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("127.0.0.1"))
        #expect(error?.description.hasPrefix("Prometheus query `up` at \(baseURL)/api/v1/query: Prometheus is unreachable: ") == true)
    }

    @Test func slowServerTimesOut() async throws {
        try await TestServer.with { server in
            // The fixture's /sleep/5 stands in for a Prometheus that does not answer.
            let client = PrometheusClient(baseURL: server.baseURL + "/sleep/5", timeout: .milliseconds(400))
            let start = ContinuousClock.now
            let error = await expectPrometheusError {
                _ = try await client.query("up", at: BackfillData.instant)
            }
            #expect(ContinuousClock.now - start < .seconds(4), "far sooner than the server's 5 s")
            #expect(error?.kind == .timeout(.milliseconds(400)))
        }
    }

    @Test func nonPrometheusErrorPageIsAnHTTPStatus() async throws {
        try await TestServer.with { server in
            let client = PrometheusClient(baseURL: server.baseURL + "/status/502")
            let error = await expectPrometheusError {
                _ = try await client.query("up", at: BackfillData.instant)
            }
            #expect(error?.kind == .httpStatus(502, body: "status 502"))
        }
    }

    @Test func promtoolRejectionIsReportedWithItsOutput() async {
        do {
            _ = try await LocalPrometheus.start(backfill: "db_connections_active{ 1 1705320000\n")
            Issue.record("expected the backfill to fail")
        } catch {
            #expect(error.description.hasPrefix("promtool could not backfill the OpenMetrics data (exit status 1):"))
            #expect(error.description.count > 70)
        }
    }

    @Test func scrapeTargetsMustBeOnThisMachine() async {
        do {
            _ = try await LocalPrometheus.start(scrapeTargets: ["10.0.0.5:9100"])
            Issue.record("expected a refusal")
        } catch {
            #expect(error.description == #"scrape target "10.0.0.5:9100" is not 127.0.0.1:PORT or localhost:PORT;"#
                + " LocalPrometheus only scrapes this machine")
        }
    }
}
