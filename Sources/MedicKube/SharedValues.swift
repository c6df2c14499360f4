import Foundation

/// Values decoded once per distinct bytes and then shared: the pods of one ReplicaSet carry
/// the same containers, environment, volumes' sources and labels, byte for byte, and each
/// copy decoded apart is memory and time spent again. Strings longer than the 15 bytes Swift
/// keeps inline are shared the same way.
///
/// A value is kept only once its bytes are seen a second time, so a value met once (a pod's
/// name, its uid) costs a bit, not a decoded copy. A kept value is returned only for
/// bytes equal to those it was decoded from, compared in full, and of the same type; a hash
/// collision costs a decode, never a wrong value.
struct SharedValues {
    private struct Entry {
        var type: ObjectIdentifier
        var bytes: UnsafePointer<UInt8>
        var count: Int
        var value: Any
    }

    /// One bit per hash, set once seen: a bit set by another value only keeps a value met once.
    /// Sized to the input, a bit per 8 bytes (one value in twenty shares a bit at 10,000 pods),
    /// up to a megabyte, where a set of every hash was several.
    private var seen: [UInt64]

    /// For about `bytes` of input.
    init(bytes: Int) {
        let words = Swift.min(1 << 17, Swift.max(64, bytes / 512))
        seen = Array(repeating: 0, count: 1 << (Int.bitWidth - (words - 1).leadingZeroBitCount))
    }
    private var kept: [Int: Entry] = [:]

    /// The key of `count` bytes at `bytes` decoded as `T`.
    static func key<T>(_ type: T.Type, bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        var hash = UInt64(UInt(bitPattern: ObjectIdentifier(type))) ^ UInt64(count)
        let raw = UnsafeRawPointer(bytes)
        var i = 0
        while i + 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return Int(bitPattern: UInt(hash ^ hash >> 32))
    }

    /// The value kept for exactly these bytes as `T`, if any.
    ///
    /// The entry then points at these bytes: the next comparison reads the latest copy, near
    /// where decoding is, not a page of a mapped file dropped long ago and read back for it.
    mutating func value<T>(_ type: T.Type, key: Int, bytes: UnsafePointer<UInt8>, count: Int) -> T? {
        guard let entry = kept[key], entry.type == ObjectIdentifier(type), entry.count == count,
              memcmp(entry.bytes, bytes, count) == 0, let value = entry.value as? T else { return nil }
        kept[key]!.bytes = bytes
        return value
    }

    /// Notes that these bytes decoded to `value`; keeps it when they were seen before.
    mutating func keep<T>(_ value: T, key: Int, bytes: UnsafePointer<UInt8>, count: Int) {
        let bit = UInt(bitPattern: key) % UInt(seen.count * 64)
        let word = Int(bit / 64)
        let mask: UInt64 = 1 << (bit % 64)
        guard seen[word] & mask != 0 else {
            seen[word] |= mask
            return
        }
        guard kept[key] == nil else { return }
        kept[key] = Entry(type: ObjectIdentifier(T.self), bytes: bytes, count: count, value: value)
    }
}
