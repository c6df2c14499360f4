import Crypto
import Foundation

/// The hash chain's two rules in one place: each line's `prev` is the SHA-256 of the line
/// before it, and the first line's is the SHA-256 of a fixed text naming the log.
public enum AuditChain {
    public static func hash(_ line: Data) -> String {
        SHA256.hash(data: line).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// `prev` of the genesis line of the log called `name`.
    public static func genesis(log name: String) -> String {
        hash(Data("medic.io/audit/v1 genesis \(name)".utf8))
    }

    /// The log's complete lines (without newlines) and a partial last line, if any.
    static func split(_ data: Data) -> (lines: [Data], partial: Data?) {
        var lines: [Data] = []
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(Data(data[start..<newline]))
            start = data.index(after: newline)
        }
        return (lines, start < data.endIndex ? Data(data[start...]) : nil)
    }
}
