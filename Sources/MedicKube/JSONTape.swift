import Foundation

/// A JSON document read once into a flat list of tokens, one per value, object key included,
/// in document order: what `TapeDecoder` decodes models from without building a tree of
/// values first. A container's token says where the token after it is, so a reader skips a
/// member's whole value in one step.
///
/// The scan is at least as strict as `JSONDecoder`'s: whatever it accepts, `JSONDecoder` does
/// too (RFC 8259 syntax, well-formed UTF-8, valid escapes and surrogate pairs, at most 512
/// levels). What it refuses, the caller hands to `JSONDecoder`, which words the error.
struct JSONTape {
    enum Kind: UInt8 {
        case null, `false`, `true`, number, string, object, array
    }

    struct Token {
        var kind: Kind
        /// Strings: written with backslash escapes. Numbers: a plain integer (no fraction or
        /// exponent), which is all an integer field is decoded from here.
        var flag: Bool
        /// Strings: the first byte after the opening quote. Others: the first byte.
        var start: UInt32
        /// Strings: the closing quote. Others: one past the last byte.
        var end: UInt32
        /// The index of the token after this value and everything inside it.
        var next: UInt32
        /// Objects: members. Arrays: elements.
        var count: UInt32
    }

    private(set) var tokens: [Token] = []
    private var open: [Int] = []

    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// Deeper than this, `JSONDecoder` refuses a document.
    static let maximumDepth = 512

    struct Refused: Error {}

    /// Reads `bytes`, which must hold exactly one JSON value (whitespace around it allowed).
    /// The tokens of an earlier scan are replaced; their storage is reused.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(Refused) {
        tokens.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress, bytes.count < Int(UInt32.max) else { throw Refused() }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let end = bytes.count
        var i = 0

        @inline(__always) func skipSpace() {
            while i < end, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
        }
        @inline(__always) func append(_ kind: Kind, _ flag: Bool, _ start: Int, _ stop: Int) {
            tokens.append(Token(kind: kind, flag: flag, start: UInt32(start), end: UInt32(stop),
                                next: UInt32(tokens.count + 1), count: 0))
        }
        func string() throws(Refused) {
            // At the opening quote.
            i += 1
            let start = i
            var escaped = false
            var ascii = true
            while true {
                // Eight bytes at a time while none is a quote, a backslash, a control or a
                // non-ASCII byte.
                while i + 8 <= end {
                    let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    let quote = word ^ 0x2222_2222_2222_2222
                    let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                    let special = (quote &- Self.ones) & ~quote | (backslash &- Self.ones) & ~backslash
                        | (word &- 0x2020_2020_2020_2020) & ~word | word
                    if special & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                guard i < end else { throw Refused() }
                let byte = p[i]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { throw Refused() }
                if byte >= 0x80 { ascii = false }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    i = try Self.escape(p, at: i, end: end)
                } else {
                    i += 1
                }
            }
            if !ascii, !Self.isWellFormedUTF8(p + start, count: i - start) { throw Refused() }
            append(.string, escaped, start, i)
            i += 1
        }
        /// A member's key and its colon.
        func key() throws(Refused) {
            guard i < end, p[i] == UInt8(ascii: "\"") else { throw Refused() }
            try string()
            skipSpace()
            guard i < end, p[i] == UInt8(ascii: ":") else { throw Refused() }
            i += 1
            skipSpace()
        }
        func literal(_ text: StaticString, _ kind: Kind) throws(Refused) {
            let count = text.utf8CodeUnitCount
            guard end - i >= count, memcmp(p + i, text.utf8Start, count) == 0 else { throw Refused() }
            append(kind, false, i, i + count)
            i += count
        }
        func number() throws(Refused) {
            let start = i
            if p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end else { throw Refused() }
            if p[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                guard p[i] >= UInt8(ascii: "1"), p[i] <= UInt8(ascii: "9") else { throw Refused() }
                while i < end, p[i] >= UInt8(ascii: "0"), p[i] <= UInt8(ascii: "9") { i += 1 }
            }
            var integer = true
            if i < end, p[i] == UInt8(ascii: ".") {
                integer = false
                i += 1
                let digits = i
                while i < end, p[i] >= UInt8(ascii: "0"), p[i] <= UInt8(ascii: "9") { i += 1 }
                guard i > digits else { throw Refused() }
            }
            if i < end, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
                integer = false
                i += 1
                if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
                let digits = i
                while i < end, p[i] >= UInt8(ascii: "0"), p[i] <= UInt8(ascii: "9") { i += 1 }
                guard i > digits else { throw Refused() }
            }
            append(.number, integer, start, i)
        }

        skipSpace()
        value: while true {
            // A value is expected at `i`.
            guard i < end else { throw Refused() }
            switch p[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = p[i] == UInt8(ascii: "{")
                guard open.count < Self.maximumDepth else { throw Refused() }
                open.append(tokens.count)
                append(isObject ? .object : .array, false, i, i)
                i += 1
                skipSpace()
                guard i < end else { throw Refused() }
                if p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    // Empty: closed below.
                } else {
                    tokens[open[open.count - 1]].count = 1
                    if isObject { try key() }
                    continue value
                }
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true", .true)
            case UInt8(ascii: "f"): try literal("false", .false)
            case UInt8(ascii: "n"): try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw Refused()
            }
            // After a value (or at an empty container's closing bracket): close containers
            // until one continues with a comma.
            while let container = open.last {
                skipSpace()
                guard i < end else { throw Refused() }
                let isObject = tokens[container].kind == .object
                if p[i] == UInt8(ascii: ",") {
                    guard tokens[container].count > 0 else { throw Refused() }
                    i += 1
                    skipSpace()
                    tokens[container].count += 1
                    if isObject { try key() }
                    continue value
                }
                guard p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { throw Refused() }
                i += 1
                tokens[container].end = UInt32(i)
                tokens[container].next = UInt32(tokens.count)
                open.removeLast()
            }
            skipSpace()
            guard i == end else { throw Refused() }
            return
        }
    }

    /// Past the escape at `i` (a backslash); refuses an unknown escape, a malformed `\u`, and
    /// a surrogate that is not half of a pair.
    private static func escape(_ p: UnsafePointer<UInt8>, at start: Int, end: Int) throws(Refused) -> Int {
        guard start + 1 < end else { throw Refused() }
        switch p[start + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return start + 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(p, at: start + 2, end: end) else { throw Refused() }
            switch unit {
            case 0xD800...0xDBFF:
                guard start + 12 <= end, p[start + 6] == UInt8(ascii: "\\"),
                      p[start + 7] == UInt8(ascii: "u"), let low = hex4(p, at: start + 8, end: end),
                      (0xDC00...0xDFFF).contains(low) else { throw Refused() }
                return start + 12
            case 0xDC00...0xDFFF: throw Refused()
            default: return start + 6
            }
        default: throw Refused()
        }
    }

    /// The four hex digits at `i`, as a UTF-16 code unit.
    static func hex4(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> UInt16? {
        guard i + 4 <= end else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = p[i + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF.
    static func isWellFormedUTF8(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        var i = 0
        @inline(__always) func continuation(_ offset: Int) -> Bool {
            i + offset < count && p[i + offset] & 0xC0 == 0x80
        }
        while i < count {
            let lead = p[i]
            switch lead {
            case 0x00...0x7F:
                i += 1
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let second = p[i + 1]
                if lead == 0xE0, second < 0xA0 { return false }
                if lead == 0xED, second > 0x9F { return false }
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let second = p[i + 1]
                if lead == 0xF0, second < 0x90 { return false }
                if lead == 0xF4, second > 0x8F { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
