/// One token of an expression, with the character offset where it starts.
struct CELToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// An integer literal's magnitude; the parser checks the range, so `-9223372036854775808` works.
        case int(UInt64)
        case double(Double)
        case string(String)
        case identifier(String)
        case symbol(String)
        case end
    }

    let kind: Kind
    let offset: Int
}

/// Splits expression source into tokens. CEL's lexical grammar: `//` comments, decimal and
/// hex integers (a `u` suffix is accepted and ignored: uint is folded into int), doubles
/// with fraction and/or exponent, single, double, triple-quoted and raw (`r"..."`) strings.
struct CELLexer {
    private let chars: [Character]
    private var index = 0

    init(_ source: String) {
        chars = Array(source)
    }

    static func tokens(of source: String) throws(CELError) -> [CELToken] {
        var lexer = CELLexer(source)
        var tokens: [CELToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Character? {
        index + ahead < chars.count ? chars[index + ahead] : nil
    }

    private mutating func next() throws(CELError) -> CELToken {
        skipSpaceAndComments()
        let start = index
        guard let char = peek() else { return CELToken(kind: .end, offset: start) }
        if char.isASCII, char.isLetter || char == "_" {
            let word = identifier()
            let quote = peek()
            if quote == "\"" || quote == "'" {
                switch word {
                case "r", "R": return CELToken(kind: .string(try string(raw: true, start: start)), offset: start)
                case "b", "B": throw .at(start, .syntax, "bytes literals are not supported")
                default: break
                }
            }
            return CELToken(kind: .identifier(word), offset: start)
        }
        if char.isASCII, char.isNumber {
            return try number(start: start)
        }
        if char == "\"" || char == "'" {
            return CELToken(kind: .string(try string(raw: false, start: start)), offset: start)
        }
        let pair = peek(1).map { String(char) + String($0) }
        if let pair, ["==", "!=", "<=", ">=", "&&", "||"].contains(pair) {
            index += 2
            return CELToken(kind: .symbol(pair), offset: start)
        }
        switch char {
        case "<", ">", "+", "-", "*", "/", "%", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}":
            index += 1
            return CELToken(kind: .symbol(String(char)), offset: start)
        case "=":
            throw .at(start, .syntax, "unexpected '='; did you mean '=='?")
        case "&":
            throw .at(start, .syntax, "unexpected '&'; did you mean '&&'?")
        case "|":
            throw .at(start, .syntax, "unexpected '|'; did you mean '||'?")
        default:
            throw .at(start, .syntax, "unexpected character '\(char)'")
        }
    }

    private mutating func skipSpaceAndComments() {
        while let char = peek() {
            if char.isWhitespace {
                index += 1
            } else if char == "/", peek(1) == "/" {
                while let skipped = peek(), !skipped.isNewline { index += 1 }
            } else {
                return
            }
        }
    }

    private mutating func identifier() -> String {
        var word = ""
        while let char = peek(), char.isASCII, char.isLetter || char.isNumber || char == "_" {
            word.append(char)
            index += 1
        }
        return word
    }

    private mutating func digits(hex: Bool = false) -> String {
        var text = ""
        while let char = peek(), hex ? char.isHexDigit : (char.isASCII && char.isNumber) {
            text.append(char)
            index += 1
        }
        return text
    }

    private mutating func number(start: Int) throws(CELError) -> CELToken {
        if peek() == "0", peek(1) == "x" || peek(1) == "X" {
            index += 2
            let hex = digits(hex: true)
            guard !hex.isEmpty else { throw .at(start, .syntax, "hexadecimal literal needs digits after '0x'") }
            return try integer(hex, radix: 16, start: start)
        }
        var text = digits()
        var isDouble = false
        if peek() == ".", let after = peek(1), after.isASCII, after.isNumber {
            index += 1
            text += "." + digits()
            isDouble = true
        }
        if peek() == "e" || peek() == "E" {
            let mark = index
            index += 1
            var exponent = "e"
            if peek() == "+" || peek() == "-" {
                exponent.append(peek()!)
                index += 1
            }
            let exponentDigits = digits()
            if exponentDigits.isEmpty {
                index = mark
            } else {
                text += exponent + exponentDigits
                isDouble = true
            }
        }
        if isDouble {
            guard let value = Double(text) else { throw .at(start, .syntax, "invalid number '\(text)'") }
            return CELToken(kind: .double(value), offset: start)
        }
        return try integer(text, radix: 10, start: start)
    }

    private mutating func integer(_ text: String, radix: Int, start: Int) throws(CELError) -> CELToken {
        if peek() == "u" || peek() == "U" { index += 1 }
        guard let value = UInt64(text, radix: radix) else {
            throw .at(start, .syntax, "integer literal out of range: \(text)")
        }
        return CELToken(kind: .int(value), offset: start)
    }

    private mutating func string(raw: Bool, start: Int) throws(CELError) -> String {
        let quote = peek()!
        let triple = peek(1) == quote && peek(2) == quote
        index += triple ? 3 : 1
        var text = ""
        while true {
            guard let char = peek() else { throw .at(start, .syntax, "unterminated string literal") }
            if char == quote, !triple || (peek(1) == quote && peek(2) == quote) {
                index += triple ? 3 : 1
                return text
            }
            if char.isNewline, !triple { throw .at(start, .syntax, "unterminated string literal") }
            if char == "\\", !raw {
                text.unicodeScalars.append(try escape())
            } else {
                text.append(char)
                index += 1
            }
        }
    }

    private mutating func escape() throws(CELError) -> Unicode.Scalar {
        let start = index
        index += 1
        guard let char = peek() else { throw .at(start, .syntax, "unterminated string literal") }
        index += 1
        let simple: [Character: Unicode.Scalar] = [
            "\\": "\\", "'": "'", "\"": "\"", "`": "`", "?": "?", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}",
            "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}",
        ]
        if let scalar = simple[char] { return scalar }
        let width: Int
        let radix: Int
        switch char {
        case "x", "X": (width, radix) = (2, 16)
        case "u": (width, radix) = (4, 16)
        case "U": (width, radix) = (8, 16)
        case "0"..."3":
            index -= 1
            (width, radix) = (3, 8)
        default: throw .at(start, .syntax, "invalid escape sequence '\\\(char)'")
        }
        guard index + width <= chars.count, let code = UInt32(String(chars[index..<index + width]), radix: radix),
            let scalar = Unicode.Scalar(code)
        else { throw .at(start, .syntax, "invalid escape sequence '\\\(char)'") }
        index += width
        return scalar
    }
}
