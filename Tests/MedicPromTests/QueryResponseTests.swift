import Foundation
import Testing
@testable import MedicProm

private func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/\(name)"))
}

private let instant = Date(timeIntervalSince1970: 1_705_320_000)

struct QueryResponseTests {
    @Test func decodesAVectorWithLabelsAndFractionalTimes() throws {
        let outcome = QueryResponse.parse(try fixture("query-vector.json"), status: 200)
        #expect(outcome == .result(.vector([
            Series(
                labels: ["__name__": "db_connections_active", "namespace": "production", "service": "order-service"],
                samples: [Sample(time: instant, value: 240)]
            ),
            Series(
                labels: ["namespace": "staging", "service": "order-service"],
                samples: [Sample(time: Date(timeIntervalSince1970: 1_705_320_000.25), value: 1500)]
            ),
        ])))
    }

    @Test func decodesAMatrixOldestFirst() throws {
        let outcome = QueryResponse.parse(try fixture("query-matrix.json"), status: 200)
        #expect(outcome == .result(.matrix([Series(
            labels: ["__name__": "db_connections_active", "namespace": "production", "service": "order-service"],
            samples: [
                Sample(time: instant.addingTimeInterval(-60), value: 238),
                Sample(time: instant.addingTimeInterval(-30), value: 239),
                Sample(time: instant, value: 240),
            ]
        )])))
    }

    @Test func decodesScalarAndString() throws {
        #expect(QueryResponse.parse(try fixture("query-scalar.json"), status: 200)
            == .result(.scalar(Sample(time: instant, value: 100))))
        #expect(QueryResponse.parse(try fixture("query-string.json"), status: 200) == .result(.string("hello")))
    }

    @Test func decodesNaNAndInfinities() throws {
        guard case .result(.vector(let series)) = QueryResponse.parse(try fixture("query-special-values.json"), status: 200)
        else {
            Issue.record("expected a vector")
            return
        }
        let values = Dictionary(uniqueKeysWithValues: series.map { ($0.labels["case"]!, $0.samples[0].value) })
        #expect(values["nan"]?.isNaN == true)
        #expect(values["plus"] == .infinity)
        #expect(values["minus"] == -.infinity)
        #expect(Sample(time: instant, value: .nan) == Sample(time: instant, value: .nan))
        #expect(Sample(time: instant, value: .nan) != Sample(time: instant, value: 0))
    }

    @Test func errorBodyBecomesAnAPIErrorWhateverTheStatus() throws {
        let body = try fixture("query-error-bad-data.json")
        let expected = QueryResponse.Outcome.failure(.api(
            errorType: "bad_data", error: #"invalid parameter "query": 1:5: parse error: unclosed left parenthesis"#
        ))
        #expect(QueryResponse.parse(body, status: 400) == expected)
        #expect(QueryResponse.parse(body, status: 200) == expected)
    }

    @Test func nonJSONErrorPageIsAnHTTPStatusFailure() {
        let page = Data("<html>502 Bad Gateway</html>".utf8)
        #expect(QueryResponse.parse(page, status: 502) == .failure(.httpStatus(502, body: "<html>502 Bad Gateway</html>")))
    }

    @Test func unreadableSuccessIsABadResponseSayingWhere() {
        let body = Data(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"lots"]}]}}"#.utf8)
        guard case .failure(.badResponse(let reason)) = QueryResponse.parse(body, status: 200) else {
            Issue.record("expected badResponse")
            return
        }
        #expect(reason.hasPrefix(#"sample value "lots" is not a number at data.result.0.value"#))

        let unknown = Data(#"{"status":"success","data":{"resultType":"exemplars","result":[]}}"#.utf8)
        guard case .failure(.badResponse(let unknownReason)) = QueryResponse.parse(unknown, status: 200) else {
            Issue.record("expected badResponse")
            return
        }
        #expect(unknownReason.hasPrefix(#"unknown resultType "exemplars" at data.resultType"#))
    }

    @Test func nativeHistogramsAreReportedNotDropped() throws {
        guard case .failure(.badResponse(let reason)) = QueryResponse.parse(try fixture("query-native-histogram.json"), status: 200)
        else {
            Issue.record("expected badResponse")
            return
        }
        #expect(reason.contains("native histogram samples are not supported"))
        #expect(reason.contains("request_duration_seconds"))
    }

    @Test func queryParametersAreEncodedForTheURL() {
        #expect(PrometheusClient.percentEncoded(#"sum(rate(x{a="b c"}[5m])) / 2 + 1"#)
            == "sum%28rate%28x%7Ba%3D%22b%20c%22%7D%5B5m%5D%29%29%20%2F%202%20%2B%201")
        #expect(PrometheusClient.timestamp(Date(timeIntervalSince1970: 1_705_320_000.5)) == "1705320000.500")
    }

    @Test func errorDescriptionsNameTheServerAndTheQuery() {
        let error = PrometheusError(
            kind: .api(errorType: "bad_data", error: "1:5: parse error: unclosed left parenthesis"),
            url: "http://prometheus:9090/api/v1/query", query: "sum("
        )
        #expect(error.description == "Prometheus query `sum(` at http://prometheus:9090/api/v1/query:"
            + " Prometheus rejected it (bad_data): 1:5: parse error: unclosed left parenthesis")
    }
}
