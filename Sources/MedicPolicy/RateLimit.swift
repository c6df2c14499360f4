/// At most `max` actions started in any `window` seconds.
public struct RateLimit: Sendable, Equatable {
    public var max: Int
    public var window: Double

    public init(max: Int, window: Double) {
        self.max = max
        self.window = window
    }
}
