/// SplitMix64: the same pod name gives the same probe timeouts, so a scenario replays alike.
struct SeededRandom: Sendable, Equatable {
    private var state: UInt64

    init(seed text: String) {
        var hash: UInt64 = 1469598103934665603
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        state = hash
    }

    /// A number in [0, 1).
    mutating func next() -> Double {
        state &+= 0x9E3779B97F4A7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58476D1CE4E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D049BB133111EB
        mixed ^= mixed >> 31
        return Double(mixed >> 11) / Double(UInt64(1) << 53)
    }
}
