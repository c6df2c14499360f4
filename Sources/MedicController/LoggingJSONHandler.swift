import Foundation
import Logging
import MedicKube

/// A swift-log handler writing one JSON object per line, so a cluster's log pipeline
/// (Loki, Elasticsearch, `kubectl logs | jq`) can filter medic's events by field:
///
/// `{"time":"2026-11-20T03:00:00.123456Z","level":"info","logger":"medic","message":"pass finished","findings":2}`
///
/// `time`, `level`, `logger` and `message` come first; metadata follows with sorted keys (a
/// metadata key that clashes with one of those four is written with a leading `_`). Integers,
/// finite doubles and booleans logged as `.stringConvertible` are JSON numbers and booleans.
/// Every string is masked by `Redaction` on its way out: this is the one door all of medic's
/// log lines pass, so an error that quotes a server's or a plugin's text cannot leak a secret.
public struct LoggingJSONHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date

    /// `write` receives each line with its newline; the default writes it to stderr in one
    /// call, so lines from concurrent tasks never interleave.
    public init(
        label: String, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.clock = clock
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        write(line(time: clock(), level: event.level, message: "\(event.message)", metadata: merged))
    }

    func line(time: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let reserved: Set<String> = ["time", "level", "logger", "message"]
        var text = "{\"time\":\(Self.quote(Lease.Spec.microTime(time))),\"level\":\(Self.quote(level.rawValue))"
        text += ",\"logger\":\(Self.quote(label)),\"message\":\(Self.quote(message))"
        let fields = metadata.map { key, value in (reserved.contains(key) ? "_" + key : key, value) }
        for (name, value) in fields.sorted(by: { $0.0 < $1.0 }) {
            text += ",\(Self.quote(name)):\(Self.json(value))"
        }
        return text + "}\n"
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string):
            quote(string)
        case .stringConvertible(let convertible as any BinaryInteger):
            convertible.description
        case .stringConvertible(let convertible as Double) where convertible.isFinite:
            convertible.description
        case .stringConvertible(let convertible as Bool):
            convertible.description
        case .stringConvertible(let convertible):
            quote(convertible.description)
        case .array(let values):
            "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.keys.sorted().map { "\(quote($0)):\(json(dictionary[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal, secrets masked, escaped as everywhere else in medic (MedicKube's
    /// `JSON`), and DEL and the C1 controls too (`\u009b` starts a terminal sequence as ESC [
    /// does), since `kubectl logs` prints these lines to a terminal.
    private static func quote(_ text: String) -> String {
        let quoted = JSON.string(Redaction.redact(text)).text
        guard quoted.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return quoted }
        var escaped = String.UnicodeScalarView()
        for scalar in quoted.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                escaped.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
