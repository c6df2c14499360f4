/// The outcome of one condition for one target. Three-valued on purpose: missing data is
/// `unknown`, never `fails` and never `holds`.
public struct ConditionResult: Sendable, Equatable, Encodable {
    public enum Truth: String, Sendable, Encodable { case holds, fails, unknown }

    public var id: String
    public var truth: Truth
    public var required: Bool
    /// What was seen, for a human: "0.97 above 0.9 for 25m (pod=order-7c9)".
    public var detail: String
    /// The deciding value, when there is one (available to templates as `metrics.<id>.value`).
    public var value: Double?

    enum CodingKeys: String, CodingKey { case id, truth = "result", required, detail, value }
}
