/// A label or annotation that marks an object, e.g. `medic.io/ignore: "true"`. Checked in both
/// labels and annotations, because teams use either for this kind of switch.
public struct LabelMatch: Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Objects (and namespaces) carrying this are left alone.
    public static let optOut = LabelMatch(key: "medic.io/ignore", value: "true")
    /// A namespace carrying this runs chaos experiments on purpose: its faults are intended.
    public static let chaos = LabelMatch(key: "medic.io/chaos", value: "true")

    public var description: String { "\(key)=\(value)" }

    /// "label" or "annotation" when `object` carries the mark, else nil.
    func carrier(in object: ObjectLabels) -> String? {
        if object.labels[key] == value { return "label" }
        if object.annotations[key] == value { return "annotation" }
        return nil
    }
}
