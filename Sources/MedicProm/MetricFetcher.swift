import Foundation
import MedicProm

/// Asks Prometheus every query the runbooks need, concurrently, at one instant. A failed query
/// becomes `unavailable` with the reason, so the conditions that need it are unknown: one
/// place for `advise`, `explain`, `test` and the reconcile loop to agree on what "no data" means.
public struct MetricFetcher: Sendable {
    /// nil: no Prometheus configured, every metric condition is unknown.
    public var client: PrometheusClient?

    public init(client: PrometheusClient?) {
        self.client = client
    }

    public init(baseURL: String?, timeout: Duration) {
        client = baseURL.map { PrometheusClient(baseURL: $0, timeout: timeout) }
    }

    public func fetch(_ queries: [String], at time: Date) async -> [String: MetricData] {
        guard let client, !queries.isEmpty else { return [:] }
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
