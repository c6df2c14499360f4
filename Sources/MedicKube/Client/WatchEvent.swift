import Foundation

/// One change seen by a watch. `relisted` replaces everything the consumer knows: it comes
/// first when a watch starts without a resourceVersion, and again whenever the server says the
/// resourceVersion is too old (410), as client-go's reflector relists.
public enum WatchEvent<Object: KubeObject>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The server's progress marker: nothing changed, but later watches may resume from here.
    case bookmark(resourceVersion: String)
    case relisted([Object], resourceVersion: String)
}

/// One line of a watch stream, decoded: an event, or the Status of an `ERROR` event.
enum WatchFrame<Object: KubeObject>: Decodable {
    case event(WatchEvent<Object>, resourceVersion: String?)
    case error(KubeStatus)

    enum Key: String, CodingKey { case type, object }

    private struct Bookmark: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let type = try container.decode(String.self, forKey: .type)
        func object() throws -> Object {
            var object = try container.decode(Object.self, forKey: .object)
            object.stampType()
            return object
        }
        switch type {
        case "ADDED":
            let value = try object()
            self = .event(.added(value), resourceVersion: value.metadata.resourceVersion)
        case "MODIFIED":
            let value = try object()
            self = .event(.modified(value), resourceVersion: value.metadata.resourceVersion)
        case "DELETED":
            let value = try object()
            self = .event(.deleted(value), resourceVersion: value.metadata.resourceVersion)
        case "BOOKMARK":
            let version = try container.decode(Bookmark.self, forKey: .object).metadata?.resourceVersion ?? ""
            self = .event(.bookmark(resourceVersion: version), resourceVersion: version)
        case "ERROR":
            self = .error(try container.decode(KubeStatus.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown watch event type \(KubeJSON.quoted(type))")
        }
    }
}

/// Cuts a watch body into its newline-delimited JSON lines, whatever way the bytes were
/// chunked on the wire: a line split across chunks is held until its end arrives.
struct WatchLineBuffer {
    private var pending = Data()

    /// The complete lines in `chunk` plus what was pending, without their newlines.
    mutating func append(_ chunk: Data) -> [Data] {
        pending.append(chunk)
        var lines: [Data] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[pending.startIndex..<newline]
            if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { lines.append(Data(line)) }
            pending = Data(pending[pending.index(after: newline)...])
        }
        return lines
    }

    /// What is left when the stream ends: a last line without a newline, if any.
    mutating func finish() -> Data? {
        defer { pending = Data() }
        return pending.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) ? nil : pending
    }
}
