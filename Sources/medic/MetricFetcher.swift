import Foundation
import MedicDiagnosis
import MedicProm

/// Asks Prometheus every query the runbooks need, concurrently, at one instant. A failed query
/// becomes `unavailable` with the reason, so the conditions that need it are unknown.
struct MetricFetcher {
    var baseURL: String?
    var timeout: Duration

    func fetch(_ queries: [String], at time: Date) async -> [String: MetricData] {
        guard let baseURL, !queries.isEmpty else { return [:] }
        let client = PrometheusClient(baseURL: baseURL, timeout: timeout)
        return await withTaskGroup(of: (String, MetricData).self) { group in
            for query in queries {
                group.addTask {
                    do {
                        switch try await client.query(query, at: time) {
                        case .matrix(let series), .vector(let series):
                            return (query, .series(series))
                        case .scalar, .string:
                            return (query, .unavailable(reason: "the query did not return series"))
                        }
                    } catch {
                        return (query, .unavailable(reason: String(describing: error)))
                    }
                }
            }
            var results: [String: MetricData] = [:]
            for await (query, data) in group { results[query] = data }
            return results
        }
    }
}
