import MedicKube
/// The `pod-template-hash` a Deployment gives each ReplicaSet: FNV-1a over the template,
/// written in the apiserver's "safe" alphabet (no vowels, no look-alike digits).
enum PodTemplateHash {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func of(_ template: JSON) -> String {
        var hash: UInt32 = 2166136261
        for byte in template.serialized() {
            hash = (hash ^ UInt32(byte)) &* 16777619
        }
        var text = ""
        var value = hash
        repeat {
            text.append(alphabet[Int(value % UInt32(alphabet.count))])
            value /= UInt32(alphabet.count)
        } while value > 0
        return text
    }

    /// Five random characters from the same alphabet, as generated names end with.
    static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return suffix(using: &generator)
    }

    static func suffix(using generator: inout some RandomNumberGenerator) -> String {
        String((0..<5).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A template without the `pod-template-hash` label, null members and empty objects, for
    /// "is this the same template" checks: `rollout undo` sends Go's zero values
    /// (`creationTimestamp: null`, `resources: {}`), which a typed apiserver treats as absent.
    static func stripped(_ template: JSON?) -> JSON? {
        guard var template = template.map(withoutNulls) else { return nil }
        template[path: ["metadata", "labels", "pod-template-hash"]] = nil
        if template[path: ["metadata", "labels"]]?.object?.isEmpty == true { template[path: ["metadata", "labels"]] = nil }
        return template
    }

    private static func withoutNulls(_ value: JSON) -> JSON {
        switch value {
        case .object(let fields):
            .object(fields.mapValues(withoutNulls).filter { $0.value != .null && $0.value != .object([:]) })
        case .array(let items): .array(items.map(withoutNulls))
        default: value
        }
    }
}
