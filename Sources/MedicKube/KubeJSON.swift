import Foundation

/// The JSON coders every MedicKube model expects: timestamps as RFC 3339 strings, which the
/// default `JSONDecoder` date strategy does not read.
public enum KubeJSON {
    /// A decoder for API JSON (`kubectl get -o json`, API responses).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected an RFC 3339 timestamp such as \"2024-05-01T10:00:00Z\", found the string \(quoted(text))"
                )
            }
            return date
        }
        return decoder
    }

    /// `T` from `data`, as `makeDecoder()` decodes it: read from its token tape
    /// (`TapeReader`), or by `JSONDecoder` where the tape leaves it, whose error is then the one
    /// thrown. `shared`: equal values inside the document decoded once (a List's pods).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, shared: Bool = false) throws -> T {
        let read = data.withUnsafeBytes { bytes in
            TapeReader(sharedFor: shared ? bytes.count : nil).decode(T.self, from: bytes)
        }
        if let read { return read }
        return try makeDecoder().decode(T.self, from: data)
    }

    /// An encoder producing API-shaped JSON (keys sorted so output is stable).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }

    /// `text` as a JSON string literal, for error messages.
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(text)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
