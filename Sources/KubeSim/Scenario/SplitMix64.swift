import Foundation

/// A small seeded generator: the same scenario plays the same requests, answers, latencies,
/// probe timeouts and pod names on every run, so tests can assert shares and a demo replays
/// the same incident.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// Seeded from a name (FNV-1a, stable across processes unlike `Hasher`).
    public init(name: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        state = hash
    }

    public mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Exponentially distributed with this mean: the jitter of service and waiting times.
    mutating func exponential(mean: Double) -> Double {
        mean > 0 ? -mean * log(1 - unit()) : 0
    }
}
