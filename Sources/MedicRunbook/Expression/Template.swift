/// Text with `{{ expr }}` holes, for finding summaries and action parameters.
///
/// A template that is nothing but one `{{ expr }}` (whitespace around it allowed) evaluates
/// to the expression's raw value, so `limits: "{{ c.limits }}"` can yield a map and
/// `"{{ c.restartCount * 2 }}"` an int. There is no escape for a literal `{{`; write
/// `{{ "{{" }}`. Error positions are relative to the whole template.
public struct Template: Sendable {
    private enum Part: Sendable {
        case text(String)
        /// `offset` is where the expression's source starts inside the template.
        case expression(CELExpression, offset: Int)
    }

    public let source: String
    private let parts: [Part]

    public init(_ source: String) throws(CELError) {
        self.source = source
        let chars = Array(source)
        var parts: [Part] = []
        var text = ""
        var index = 0
        while index < chars.count {
            guard chars[index] == "{", index + 1 < chars.count, chars[index + 1] == "{" else {
                text.append(chars[index])
                index += 1
                continue
            }
            let start = index + 2
            guard let end = Self.closingBraces(in: chars, from: start) else {
                throw CELError.at(index, .syntax, "unterminated '{{' (no matching '}}')").located(in: source)
            }
            let inner = String(chars[start..<end])
            guard inner.contains(where: { !$0.isWhitespace }) else {
                throw CELError.at(index, .syntax, "empty '{{ }}'").located(in: source)
            }
            let expression: CELExpression
            do {
                expression = try CELExpression(inner)
            } catch {
                throw error.located(in: source, shiftedBy: start)
            }
            if !text.isEmpty { parts.append(.text(text)) }
            text = ""
            parts.append(.expression(expression, offset: start))
            index = end + 2
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// The embedded expressions in order, for linting their identifiers and functions.
    public var expressions: [CELExpression] {
        parts.compactMap {
            if case .expression(let expression, _) = $0 { expression } else { nil }
        }
    }

    /// The text with every hole replaced by its value's `renderedString`.
    public func render(
        _ bindings: [String: CELValue], functions: CELFunctionTable = .standard, reads: CELReadLog? = nil
    ) throws(CELError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .expression(let expression, let offset):
                out += try value(of: expression, at: offset, bindings, functions, reads).renderedString
            }
        }
        return out
    }

    /// The raw value when the template is a single hole, otherwise the rendered `.string`.
    public func evaluate(
        _ bindings: [String: CELValue], functions: CELFunctionTable = .standard, reads: CELReadLog? = nil
    ) throws(CELError) -> CELValue {
        var single: (CELExpression, Int)?
        var count = 0
        for part in parts {
            switch part {
            case .text(let text) where text.allSatisfy(\.isWhitespace): continue
            case .text: return .string(try render(bindings, functions: functions, reads: reads))
            case .expression(let expression, let offset):
                single = (expression, offset)
                count += 1
            }
        }
        guard count == 1, let (expression, offset) = single else {
            return .string(try render(bindings, functions: functions, reads: reads))
        }
        return try value(of: expression, at: offset, bindings, functions, reads)
    }

    private func value(
        of expression: CELExpression, at offset: Int, _ bindings: [String: CELValue], _ functions: CELFunctionTable,
        _ reads: CELReadLog?
    ) throws(CELError) -> CELValue {
        do {
            return try expression.evaluate(bindings, functions: functions, reads: reads)
        } catch {
            throw error.located(in: source, shiftedBy: offset)
        }
    }

    /// The index of the `}}` closing a hole that starts at `start`, skipping string literals
    /// and balanced `{…}` map literals so `{{ {"a": {"b": 1}} }}` and `{{ "}}" }}` work.
    private static func closingBraces(in chars: [Character], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < chars.count {
            switch chars[index] {
            case "\"", "'":
                let quote = chars[index]
                index += 1
                while index < chars.count, chars[index] != quote {
                    index += chars[index] == "\\" ? 2 : 1
                }
            case "{":
                depth += 1
            case "}":
                if depth == 0 {
                    return index + 1 < chars.count && chars[index + 1] == "}" ? index : nil
                }
                depth -= 1
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
