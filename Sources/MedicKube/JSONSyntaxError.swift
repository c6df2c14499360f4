import Foundation

/// Where a document stops being JSON, as a line and column a text editor can jump to.
///
/// `JSONDecoder` reports only "not valid JSON"; `JSONSerialization` reports the byte offset,
/// which is converted here.
struct JSONSyntaxError {
    var line: Int
    var column: Int
    var problem: String

    /// Nil when `data` is in fact valid JSON.
    init?(in data: Data) {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let offset = Self.offset(in: message) ?? data.count
            (line, column) = Self.position(of: offset, in: data)
            problem = Self.explanation(message, at: offset, in: data)
        }
    }

    /// The N of "… around character N." in Foundation's message.
    private static func offset(in message: String) -> Int? {
        guard let range = message.range(of: "character ", options: .backwards) else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    private static func position(of offset: Int, in data: Data) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for (index, byte) in data.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// Foundation's reason without its location, and the text where it happened.
    private static func explanation(_ message: String, at offset: Int, in data: Data) -> String {
        var reason = message
        if let range = reason.range(of: " around character") {
            reason = String(reason[..<range.lowerBound])
        }
        reason = reason.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        reason = reason.prefix(1).lowercased() + reason.dropFirst()
        guard offset < data.count else { return "\(reason) (the file ends too early)" }
        let snippet = String(decoding: data[(data.startIndex + offset)...].prefix(24), as: UTF8.self)
            .prefix { $0 != "\n" }
        return "\(reason) near `\(snippet)`"
    }
}
