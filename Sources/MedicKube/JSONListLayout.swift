/// Where the parts of a JSON object's top level lie in its bytes, and where each element of its
/// `items` array lies, found without building a tree: a kubectl `List` is then decoded one item
/// at a time (`SnapshotListDecoder`) instead of as one document of hundreds of megabytes.
///
/// The scan checks only the top level's structure (strings are skipped, brackets counted); each
/// value's own syntax is checked when it is decoded. Anything this reading does not handle
/// gives nil, and the caller decodes the document whole, which is always right, only larger:
/// a top level that is not an object, a key written with escapes, a key given twice, nesting
/// deeper than `JSONDecoder` allows, or text after the closing brace.
struct JSONListLayout {
    /// Top-level members other than `items`: the key and the byte range of its value.
    var members: [(key: String, value: Range<Int>)] = []
    /// Each element of `items`, in order; empty when `items` is absent or null.
    var items: [Range<Int>] = []

    /// `JSONDecoder` rejects documents nested deeper than 512 levels; anything near that is left
    /// to it (an item sits two levels down).
    private static let maximumDepth = 500

    /// `progress` is told how far the scan has read, so a caller can let go of pages behind it.
    init?(scanning bytes: UnsafeRawBufferPointer, progress: (Int) -> Void = { _ in }) {
        guard let base = bytes.baseAddress else { return nil }
        var cursor = Cursor(bytes: base.assumingMemoryBound(to: UInt8.self), end: bytes.count)
        cursor.skipWhitespace()
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        cursor.skipWhitespace()
        var keys: Set<String> = []
        if !cursor.take(UInt8(ascii: "}")) {
            repeat {
                cursor.skipWhitespace()
                guard let key = cursor.plainKey(), keys.insert(key).inserted else { return nil }
                cursor.skipWhitespace()
                guard cursor.take(UInt8(ascii: ":")) else { return nil }
                cursor.skipWhitespace()
                if key == "items", cursor.peek == UInt8(ascii: "[") {
                    guard cursor.scanElements(into: &items, progress: progress) else { return nil }
                } else {
                    let start = cursor.index
                    guard cursor.skipValue(maximumDepth: Self.maximumDepth) else { return nil }
                    members.append((key, start..<cursor.index))
                }
                cursor.skipWhitespace()
            } while cursor.take(UInt8(ascii: ","))
            guard cursor.take(UInt8(ascii: "}")) else { return nil }
        }
        cursor.skipWhitespace()
        guard cursor.index == cursor.end else { return nil }
    }

    /// The value of a top-level member, if present.
    func member(_ key: String) -> Range<Int>? {
        members.first { $0.key == key }?.value
    }

    private struct Cursor {
        let bytes: UnsafePointer<UInt8>
        let end: Int
        var index = 0

        var peek: UInt8? { index < end ? bytes[index] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < end, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func skipWhitespace() {
            while index < end {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        /// A key string without escapes; nil for anything else.
        mutating func plainKey() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < end, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                index += 1
            }
            guard take(UInt8(ascii: "\"")) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: bytes + start, count: index - 1 - start), as: UTF8.self)
        }

        /// Past the closing quote of the string that starts here.
        mutating func skipString() -> Bool {
            index += 1
            while index < end {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return true
                case UInt8(ascii: "\\"): index += 2
                default: index += 1
                }
            }
            return false
        }

        /// Past one value: a string, an object or array (brackets counted, strings skipped), or
        /// a scalar (up to the next delimiter).
        mutating func skipValue(maximumDepth: Int) -> Bool {
            guard let first = peek else { return false }
            switch first {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < end {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                        guard depth <= maximumDepth else { return false }
                        index += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        index += 1
                        if depth == 0 { return true }
                    default: index += 1
                    }
                }
                return false
            default:
                let start = index
                while index < end {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                        return index > start
                    default: index += 1
                    }
                }
                return index > start
            }
        }

        /// The elements of the array that starts here.
        mutating func scanElements(into elements: inout [Range<Int>], progress: (Int) -> Void) -> Bool {
            index += 1
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                skipWhitespace()
                let start = index
                guard skipValue(maximumDepth: JSONListLayout.maximumDepth) else { return false }
                elements.append(start..<index)
                progress(index)
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        }
    }
}
