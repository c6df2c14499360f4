/// Warnings gathered during a command (or a pass of `medic run`) and told once: one line per
/// kind (the same message with different names in quotes), with a count and the first example,
/// so forty unreadable logs do not bury the findings or flood the log.
public struct Warnings: Sendable {
    private var order: [String] = []
    private var groups: [String: (example: String, count: Int)] = [:]

    public init() {}

    public var isEmpty: Bool { order.isEmpty }

    public mutating func add(_ message: String) {
        let kind = Self.kind(of: message)
        if let group = groups[kind] {
            groups[kind] = (group.example, group.count + 1)
        } else {
            order.append(kind)
            groups[kind] = (message, 1)
        }
    }

    public mutating func add(contentsOf messages: [String]) {
        for message in messages { add(message) }
    }

    /// One line per kind: its first example, and how many more there were.
    public var lines: [String] {
        order.compactMap { groups[$0] }.map { Self.line(example: $0.example, count: $0.count) }
    }

    /// The line for `count` warnings of one kind.
    public static func line(example: String, count: Int) -> String {
        example + (count > 1 ? " (and \(count - 1) more like it)" : "")
    }

    /// `medic: warning: …` lines, each ending in a newline.
    public var text: String {
        lines.map { "medic: warning: \($0)\n" }.joined()
    }

    /// The message with every quoted name and every number blanked: what stays is its kind.
    public static func kind(of message: String) -> String {
        // Byte by byte while the message is ASCII, as nearly all are (a pass of `medic run`
        // groups hundreds each time, and walking them scalar by scalar was a twentieth of it);
        // the only ASCII numbers are the digits.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.utf8.count)
        var quoted = false
        for byte in message.utf8 {
            guard byte < 0x80 else { return scalarKind(of: message) }
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
                if quoted { bytes.append(contentsOf: "…".utf8) }
            } else if !quoted {
                bytes.append(UInt8(ascii: "0")...UInt8(ascii: "9") ~= byte ? UInt8(ascii: "#") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func scalarKind(of message: String) -> String {
        var kind = String.UnicodeScalarView()
        var quoted = false
        for scalar in message.unicodeScalars {
            if scalar == "\"" {
                quoted.toggle()
                if quoted { kind.append("…") }
            } else if !quoted {
                kind.append(scalar.properties.numericType != nil ? "#" : scalar)
            }
        }
        return String(kind)
    }
}
