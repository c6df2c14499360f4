import Foundation

/// The wire format of `/api/v1/query` and `/api/v1/query_range` answers
/// (`{"status":…,"data":{"resultType":…,"result":…}}` or `{"status":"error","errorType":…,"error":…}`).
enum QueryResponse {
    /// Reads an HTTP answer. Prometheus sends its error body with 400, 422 or 503, so the body
    /// is read before the status is judged.
    enum Outcome: Equatable {
        case result(QueryResult)
        case failure(PrometheusError.Kind)
    }

    static func parse(_ body: Data, status: Int) -> Outcome {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: body)
        } catch {
            guard (200..<300).contains(status) else {
                return .failure(.httpStatus(status, body: snippet(body)))
            }
            return .failure(.badResponse("\(describe(error)); body: \(snippet(body))"))
        }
        if envelope.status == "error" {
            return .failure(.api(errorType: envelope.errorType ?? "unknown", error: envelope.error ?? ""))
        }
        guard envelope.status == "success", let data = envelope.data else {
            return .failure(.badResponse("status \"\(envelope.status)\" without data; body: \(snippet(body))"))
        }
        guard (200..<300).contains(status) else {
            return .failure(.httpStatus(status, body: snippet(body)))
        }
        return .result(data.result)
    }

    private static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return body.count > 300 ? text + "…" : text
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context),
            .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return path.isEmpty ? context.debugDescription
                : "\(context.debugDescription) at \(path.joined(separator: "."))"
        @unknown default:
            return "\(error)"
        }
    }

    private struct Envelope: Decodable {
        var status: String
        var data: ResultData?
        var errorType: String?
        var error: String?
    }

    private struct ResultData: Decodable {
        var result: QueryResult

        private enum CodingKeys: String, CodingKey {
            case resultType, result
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .resultType)
            switch type {
            case "vector":
                let series = try container.decode([WireSeries].self, forKey: .result)
                result = .vector(series.map { Series(labels: $0.metric, samples: $0.value.map { [$0.sample] } ?? []) })
            case "matrix":
                let series = try container.decode([WireSeries].self, forKey: .result)
                result = .matrix(series.map { Series(labels: $0.metric, samples: ($0.values ?? []).map(\.sample)) })
            case "scalar":
                result = .scalar(try container.decode(WireSample.self, forKey: .result).sample)
            case "string":
                result = .string(try container.decode(WireString.self, forKey: .result).text)
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .resultType, in: container, debugDescription: "unknown resultType \"\(type)\""
                )
            }
        }
    }

    private struct WireSeries: Decodable {
        var metric: [String: String]
        var value: WireSample?
        var values: [WireSample]?

        private enum CodingKeys: String, CodingKey {
            case metric, value, values, histogram, histograms
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metric = try container.decodeIfPresent([String: String].self, forKey: .metric) ?? [:]
            value = try container.decodeIfPresent(WireSample.self, forKey: .value)
            values = try container.decodeIfPresent([WireSample].self, forKey: .values)
            if container.contains(.histogram) || container.contains(.histograms) {
                // Dropping them would make a series look absent; saying so keeps "unknown" honest.
                throw DecodingError.dataCorruptedError(
                    forKey: .histogram, in: container,
                    debugDescription: "native histogram samples are not supported (series \(metric))"
                )
            }
        }
    }

    /// `[1705320000.5, "42"]`: seconds since the epoch, and the value as a string.
    private struct WireSample: Decodable {
        var sample: Sample

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            let seconds = try container.decode(Double.self)
            let text = try container.decode(String.self)
            guard let value = Sample.parseValue(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "sample value \"\(text)\" is not a number")
            }
            sample = Sample(time: Date(timeIntervalSince1970: seconds), value: value)
        }
    }

    private struct WireString: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            _ = try container.decode(Double.self)
            text = try container.decode(String.self)
        }
    }
}
