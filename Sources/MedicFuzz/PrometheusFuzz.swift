import Foundation
@testable import MedicProm

extension FuzzTarget {
    /// `QueryResponse.parse`, what `PrometheusClient` runs on every `/api/v1/query` and
    /// `query_range` answer, with a success status and with Prometheus' error status.
    public static let prometheus = FuzzTarget(name: "prometheus") { input in
        for status in [200, 422] {
            if case .failure(.badResponse(let message)) = QueryResponse.parse(input, status: status), message.isEmpty {
                return FuzzViolation("a bad response without a reason")
            }
        }
        return nil
    }
}
