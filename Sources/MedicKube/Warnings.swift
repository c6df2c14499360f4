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
        order.compactMap { groups[$0] }.map { group in
            group.example + (group.count > 1 ? " (and \(group.count - 1) more like it)" : "")
        }
    }

    /// `medic: warning: …` lines, each ending in a newline.
    public var text: String {
        lines.map { "medic: warning: \($0)\n" }.joined()
    }

    /// The message with every quoted name and every number blanked: what stays is its kind.
    public static func kind(of message: String) -> String {
        // Scalar by scalar: a pass of `medic run` may group hundreds of warnings, and walking
        // them character by character was a thirtieth of such a pass.
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
