import Foundation

/// Decodes `Decodable` models straight from a `JSONTape`, with none of `JSONDecoder`'s
/// per-object dictionaries: a keyed container walks its object's few members, and a string
/// is made once from its bytes. A snapshot of 10,000 pods decodes in a fraction of the time
/// and memory (see `bench/advise.sh`).
///
/// It gives what `KubeJSON.makeDecoder()` gives, or nothing. Wherever its reading could
/// differ (a number with a fraction or an exponent read as an integer, a key written twice, a
/// type `JSONDecoder` treats specially) it abandons the decode: `decode` then gives nil, even
/// if a model caught the error, and the caller decodes with `JSONDecoder`, whose error is the
/// one a user sees. So its errors carry no coding path; nothing shows them.
final class TapeReader {
    // Unchecked: a reader is used by one thread, and the runtime's checks of every access were
    // a tenth of a decode.
    @exclusivity(unchecked) private var tape = JSONTape()
    @exclusivity(unchecked) private var base = UnsafePointer<UInt8>(bitPattern: 1)!
    let userInfo: [CodingUserInfoKey: Any]
    /// Set when this decode cannot be trusted to match `JSONDecoder`'s.
    @exclusivity(unchecked) private var abandoned = false
    @exclusivity(unchecked) private var shared: SharedValues?
    @exclusivity(unchecked) private var scratch: [UInt8] = []

    /// `sharedFor`: equal values (by their bytes) are decoded once and shared across every
    /// decode of this reader, about this many bytes in all, which must all stay valid until the
    /// reader is gone.
    init(userInfo: [CodingUserInfoKey: Any] = [:], sharedFor bytes: Int? = nil) {
        self.userInfo = userInfo
        shared = bytes.map(SharedValues.init(bytes:))
    }

    /// `T` from `bytes`, or nil when `JSONDecoder` must decide: the bytes are not JSON this
    /// reading accepts, the model threw, or the decode was abandoned.
    func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) -> T? {
        do {
            try tape.scan(bytes)
        } catch {
            return nil
        }
        base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        abandoned = false
        guard let value = try? self.value(T.self, at: 0), !abandoned else { return nil }
        return value
    }

    // MARK: Values

    func token(_ index: Int) -> JSONTape.Token { tape.tokens[index] }

    /// The value at token `index`, shared with an equal one decoded before when sharing.
    func value<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        let token = tape.tokens[index]
        let count = Int(token.end &- token.start)
        guard shared != nil, index != 0,
              token.kind == .string ? count > 15 : (token.kind.isContainer && count >= 32),
              // Values held inline in an `Any` (arrays, maps, strings, `JSON`): a kept struct
              // would be a boxed copy more, and its arrays and strings are shared anyway.
              MemoryLayout<T>.size <= 3 * MemoryLayout<Int>.size, !(T.self is AnyObject.Type) else {
            return try build(T.self, at: index)
        }
        let bytes = base + Int(token.start)
        let key = SharedValues.key(T.self, bytes: bytes, count: count)
        if let value = shared!.value(T.self, key: key, bytes: bytes, count: count) { return value }
        let value = try build(T.self, at: index)
        // A value built after an abandoned read may be the model's answer to that read.
        if !abandoned { shared!.keep(value, key: key, bytes: bytes, count: count) }
        return value
    }

    private func build<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        if T.self == String.self { return try string(at: index) as! T }
        if T.self == JSON.self { return try json(at: index) as! T }
        if T.self == Date.self { return try date(at: index) as! T }
        // Types `JSONDecoder` decodes its own way.
        if T.self == URL.self || T.self == Data.self || T.self == Decimal.self { throw abandon() }
        if tape.tokens[index].kind == .object, let dictionary = T.self as? any TapeDecodableDictionary.Type {
            return try dictionary.init(reader: self, object: index) as! T
        }
        return try T(from: TapeDecoder(reader: self, index: index))
    }

    func isNull(_ index: Int) -> Bool { tape.tokens[index].kind == .null }

    func bool(at index: Int) throws -> Bool {
        switch tape.tokens[index].kind {
        case .true: true
        case .false: false
        default: throw mismatch(Bool.self)
        }
    }

    func string(at index: Int) throws -> String {
        let token = tape.tokens[index]
        guard token.kind == .string else { throw mismatch(String.self) }
        let bytes = UnsafeBufferPointer(start: base + Int(token.start), count: Int(token.end - token.start))
        guard token.flag else { return String(decoding: bytes, as: UTF8.self) }
        return unescaped(bytes)
    }

    /// An integer written as one (no fraction or exponent), as `T` holds it exactly.
    func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws -> T {
        let token = tape.tokens[index]
        guard token.kind == .number else { throw mismatch(T.self) }
        // `JSONDecoder` also reads 1.0 and 1e2 as integers: left to it.
        guard token.flag else { throw abandon() }
        var i = Int(token.start)
        let end = Int(token.end)
        let negative = base[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var magnitude: UInt64 = 0
        while i < end {
            let (times, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(UInt64(base[i] &- UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { throw abandon() }
            magnitude = sum
            i += 1
        }
        let value: T?
        if negative {
            // -0 is 0 for a signed type; for an unsigned one `JSONDecoder` decides.
            guard magnitude <= UInt64(Int64.max) + 1, T.isSigned else { throw abandon() }
            value = T(exactly: magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
        } else {
            value = T(exactly: magnitude)
        }
        guard let value else { throw abandon() }
        return value
    }

    func double(at index: Int) throws -> Double {
        let token = tape.tokens[index]
        guard token.kind == .number else { throw mismatch(Double.self) }
        let text = String(decoding: UnsafeBufferPointer(start: base + Int(token.start), count: Int(token.end - token.start)),
                          as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw abandon() }
        return value
    }

    /// As `KubeJSON.makeDecoder()`'s date strategy reads it.
    private func date(at index: Int) throws -> Date {
        guard let date = RFC3339.parse(try string(at: index)) else { throw abandon() }
        return date
    }

    /// As `JSON.init(from:)` reads it from `JSONDecoder`.
    private func json(at index: Int) throws -> JSON {
        let token = tape.tokens[index]
        switch token.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .string: return .string(try value(String.self, at: index))
        case .number:
            // `JSONDecoder` reads 1.0 as an Int64 and an integer beyond Int64 as a Double.
            return .int(try integer(Int64.self, at: index))
        case .array:
            var items: [JSON] = []
            items.reserveCapacity(Int(token.count))
            var element = index + 1
            for _ in 0..<token.count {
                items.append(try value(JSON.self, at: element))
                element = Int(tape.tokens[element].next)
            }
            return .array(items)
        case .object:
            return .object(try [String: JSON](reader: self, object: index))
        }
    }

    // MARK: Objects

    /// The value of `key` in the object at `object`; nil when absent. A key written twice
    /// abandons the decode (`JSONDecoder` takes the first).
    func member(_ key: some CodingKey, of object: Int) throws -> Int? {
        // -1: absent; -2: written twice.
        let found = key.stringValue.utf8.withContiguousStorageIfAvailable { wanted in
            var found = -1
            var keyIndex = object + 1
            for _ in 0..<tape.tokens[object].count {
                let token = tape.tokens[keyIndex]
                let count = Int(token.end - token.start)
                let matches = token.flag
                    ? unescaped(UnsafeBufferPointer(start: base + Int(token.start), count: count)).utf8.elementsEqual(wanted)
                    : count == wanted.count && (count == 0 || memcmp(base + Int(token.start), wanted.baseAddress!, count) == 0)
                if matches {
                    guard found == -1 else { return -2 }
                    found = keyIndex + 1
                }
                keyIndex = Int(tape.tokens[keyIndex + 1].next)
            }
            return found
        }
        // A key that is not contiguous UTF-8 (none of medic's), or one written twice.
        guard let found, found != -2 else { throw abandon() }
        return found == -1 ? nil : found
    }

    /// Every member's key and value token, in order.
    func members(of object: Int) -> [(key: Int, value: Int)] {
        var result: [(key: Int, value: Int)] = []
        result.reserveCapacity(Int(tape.tokens[object].count))
        var keyIndex = object + 1
        for _ in 0..<tape.tokens[object].count {
            result.append((keyIndex, keyIndex + 1))
            keyIndex = Int(tape.tokens[keyIndex + 1].next)
        }
        return result
    }

    // MARK: Errors

    /// Marks this decode as one `JSONDecoder` must redo, and the error to throw.
    func abandon() -> any Error {
        abandoned = true
        return DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "left to JSONDecoder"))
    }

    func mismatch(_ type: Any.Type) -> any Error {
        DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "another type of JSON value"))
    }

    func missing(_ key: some CodingKey) -> any Error {
        DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no such key"))
    }

    /// A string's escapes read (the tape checked them).
    private func unescaped(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                i += 1
                continue
            }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                let start = bytes.baseAddress!
                var scalar = UInt32(JSONTape.hex4(start, at: i, end: bytes.count)!)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = UInt32(JSONTape.hex4(start, at: i + 2, end: bytes.count)!)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                scratch.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            default: scratch.append(escape)
            }
        }
        return String(decoding: scratch, as: UTF8.self)
    }
}

extension JSONTape.Kind {
    var isContainer: Bool { self == .object || self == .array }
}

/// A `[String: Value]` read member by member, not through `Dictionary`'s generic keyed decode
/// (which asks for every key by name, each a walk of the object here).
protocol TapeDecodableDictionary {
    init(reader: TapeReader, object: Int) throws
}

extension Dictionary: TapeDecodableDictionary where Key == String, Value: Decodable {
    init(reader: TapeReader, object: Int) throws {
        self.init(minimumCapacity: Int(reader.token(object).count))
        for (key, value) in reader.members(of: object) {
            if updateValue(try reader.value(Value.self, at: value), forKey: try reader.value(String.self, at: key)) != nil {
                throw reader.abandon()
            }
        }
    }
}

/// The `Decoder` a model's `init(from:)` is given: a value's token in a reader.
struct TapeDecoder: Decoder {
    let reader: TapeReader
    let index: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { reader.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard reader.token(index).kind == .object else { throw reader.mismatch([String: Any].self) }
        return KeyedDecodingContainer(KeyedTapeContainer<Key>(reader: reader, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard reader.token(index).kind == .array else { throw reader.mismatch([Any].self) }
        return UnkeyedTapeContainer(reader: reader, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleTapeContainer(reader: reader, index: index)
    }
}

private struct KeyedTapeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: TapeReader
    let object: Int

    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        reader.members(of: object).compactMap { (try? reader.value(String.self, at: $0.key)).flatMap(Key.init(stringValue:)) }
    }

    func contains(_ key: Key) -> Bool { (try? reader.member(key, of: object)) != nil }

    private func value(_ key: Key) throws -> Int {
        guard let index = try reader.member(key, of: object) else { throw reader.missing(key) }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { reader.isNull(try value(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader.bool(at: try value(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader.value(String.self, at: try value(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader.double(at: try value(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw reader.abandon() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader.integer(type, at: try value(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader.integer(type, at: try value(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader.integer(type, at: try value(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader.integer(type, at: try value(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader.integer(type, at: try value(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader.integer(type, at: try value(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader.integer(type, at: try value(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader.integer(type, at: try value(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader.integer(type, at: try value(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader.integer(type, at: try value(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try reader.value(type, at: try value(key)) }

    /// The value of `key` unless it is absent or null: one walk of the object, where the
    /// protocol's default `decodeIfPresent` takes three.
    private func present(_ key: Key) throws -> Int? {
        guard let index = try reader.member(key, of: object), !reader.isNull(index) else { return nil }
        return index
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try reader.value(type, at: $0) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try reader.value(type, at: $0) }
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map(reader.bool(at:)) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try reader.integer(type, at: $0) }
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        try present(key).map { try reader.integer(type, at: $0) }
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try present(key).map { try reader.integer(type, at: $0) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key).map(reader.double(at:)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(reader: reader, index: try value(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(reader: reader, index: try value(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { throw reader.abandon() }

    func superDecoder(forKey key: Key) throws -> any Decoder { throw reader.abandon() }
}

private struct UnkeyedTapeContainer: UnkeyedDecodingContainer {
    let reader: TapeReader
    let count: Int?
    private(set) var currentIndex = 0
    /// The token of the next element.
    private var next: Int

    init(reader: TapeReader, array: Int) {
        self.reader = reader
        count = Int(reader.token(array).count)
        next = array + 1
    }

    var codingPath: [any CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= count! }

    /// The next element's token, then moves past it.
    private mutating func advance() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "at the end"))
        }
        let index = next
        next = Int(reader.token(index).next)
        currentIndex += 1
        return index
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "at the end"))
        }
        guard reader.isNull(next) else { return false }
        _ = try advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(at: try advance()) }
    mutating func decode(_ type: String.Type) throws -> String { try reader.value(type, at: try advance()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try reader.double(at: try advance()) }
    mutating func decode(_ type: Float.Type) throws -> Float { throw reader.abandon() }
    mutating func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type, at: try advance()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type, at: try advance()) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.value(type, at: try advance()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(reader: reader, index: try advance()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(reader: reader, index: try advance()).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { throw reader.abandon() }
}

private struct SingleTapeContainer: SingleValueDecodingContainer {
    let reader: TapeReader
    let index: Int

    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { reader.isNull(index) }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(at: index) }
    func decode(_ type: String.Type) throws -> String { try reader.value(type, at: index) }
    func decode(_ type: Double.Type) throws -> Double { try reader.double(at: index) }
    func decode(_ type: Float.Type) throws -> Float { throw reader.abandon() }
    func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, at: index) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, at: index) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type, at: index) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type, at: index) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type, at: index) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, at: index) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type, at: index) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type, at: index) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type, at: index) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type, at: index) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.value(type, at: index) }
}
