/// promtool's expanding notation for test series (`'1+2x3 _ stale 5x2'`), so runbook tests
/// read like `promtool test rules` files and authors can move cases between the two.
///
/// - `a` one value; `a+bxn` / `a-bxn` the n+1 values a, a±b, …, a±n·b; `axn` a repeated n+1 times;
/// - `_` one missing sample; `_xn` n missing samples;
/// - `stale` a staleness marker (the series ends there until the next value).
public enum SeriesNotation {
    public enum Point: Sendable, Equatable {
        case value(Double)
        case missing
        case stale
    }

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The offending word, as written.
        public var word: String
        public var reason: String
        public var description: String { "'\(word)': \(reason)" }
    }

    public static func expand(_ text: String) throws(SyntaxError) -> [Point] {
        var points: [Point] = []
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            points += try expand(word: word)
        }
        return points
    }

    private static func expand(word: String) throws(SyntaxError) -> [Point] {
        if word == "_" { return [.missing] }
        if word == "stale" { return [.stale] }
        guard let times = word.lastIndex(of: "x") else {
            guard let value = number(word) else { throw SyntaxError(word: word, reason: reason) }
            return [.value(value)]
        }
        guard let count = Int(word[word.index(after: times)...]), count >= 0 else {
            throw SyntaxError(word: word, reason: "the repeat count after 'x' must be a whole number")
        }
        let head = String(word[..<times])
        if head == "_" { return Array(repeating: .missing, count: count) }
        if let value = number(head) { return Array(repeating: .value(value), count: count + 1) }
        // a+b or a-b: the sign that starts the increment is the last one not part of an exponent.
        let characters = Array(head)
        guard let split = characters.indices.dropFirst().last(where: { index in
            (characters[index] == "+" || characters[index] == "-") && !"eE".contains(characters[index - 1])
        }), let start = number(String(characters[..<split])), let step = number(String(characters[split...])) else {
            throw SyntaxError(word: word, reason: reason)
        }
        return (0...count).map { .value(start + Double($0) * step) }
    }

    private static let reason = "expected a number, a+bxn, a-bxn, axn, _, _xn or stale"

    private static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "Inf", "+Inf": .infinity
        case "-Inf": -.infinity
        default: text.first.map { $0.isNumber || "+-.".contains($0) } == true ? Double(text) : nil
        }
    }
}
