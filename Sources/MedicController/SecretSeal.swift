import Foundation
import MedicKube

/// Keeps secret env values out of the before-state and after-state medic records for a
/// rollback. A pod template holds literal env values (`DB_PASSWORD: hunter2`,
/// `DATABASE_URL: postgres://orders:pw@db/orders`); recorded as they are, they would reach the
/// audit log and everything that reads it. Sealing masks them as `Redaction` does; a rollback
/// fills each mask from the live object, where the secret still is. medic never changes a
/// secret, so the live one is the value to keep, also when a human rotated it since.
///
/// An env action's record (its container's whole `env`) goes further: every literal value but
/// those of the variables the action itself sets is masked, because a value need not be named
/// like a secret to be one (`STRIPE=…`), and medic leaves those variables as they are, so the
/// live object still holds them for a rollback.
enum SecretSeal {
    /// `node` (a decoded JSON value) with every secret env value masked; with `only`, every
    /// literal value but those of the variables named there (secret-looking ones still masked).
    static func seal(_ node: Any, keeping only: Set<String>? = nil) -> Any {
        walk(node) { name, value in
            if let only, !only.contains(variable(name)) { return value.isEmpty ? value : Redaction.mask }
            return sealed(name: name, value: value)
        }
    }

    /// Whether `text` (JSON) holds a mask a rollback must fill first.
    static func isSealed(_ text: String) -> Bool { text.contains(Redaction.mask) }

    /// `sealed` (JSON text of the value at `pointer`) with its masks filled from the env values
    /// of the same containers in `live` (the object's JSON); nil when one cannot be filled: the
    /// container or variable is gone, or its secret parts no longer line up. The value is put in
    /// its place in the live object first, so a variable is known by its container even when
    /// the value is only a container's `env`.
    static func unseal(_ sealed: String, pointer: String, live: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: live, options: [.fragmentsAllowed]),
              let node = try? JSONSerialization.jsonObject(with: Data(sealed.utf8), options: [.fragmentsAllowed]),
              let placed = BeforeState.replacing(at: pointer, in: root, with: node)
        else { return nil }
        var liveValues: [String: String] = [:]
        _ = walk(root) { name, value in
            liveValues[name] = value
            return value
        }
        var complete = true
        let filled = walk(placed) { name, value in
            guard value.contains(Redaction.mask) else { return value }
            guard let live = liveValues[name], let value = fill(value, from: live, name: name) else {
                complete = false
                return value
            }
            return value
        }
        guard complete, let value = BeforeState.node(at: pointer, in: filled),
              let data = try? JSONSerialization.data(withJSONObject: value, options: BeforeState.writing) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The value as recorded: all of it masked when the name says it holds a secret, the
    /// secret parts masked when the value carries one (a URL's password, a token), else as is.
    static func sealed(name: String, value: String) -> String {
        let variable = variable(name)
        if Redaction.redact("\(variable)=x") != "\(variable)=x" { return value.isEmpty ? value : Redaction.mask }
        return Redaction.redact(value)
    }

    /// `DB_PASSWORD` of `api/DB_PASSWORD`.
    private static func variable(_ name: String) -> String {
        name.split(separator: "/").last.map(String.init) ?? name
    }

    /// `sealed` with its masks replaced, in order, by the parts `Redaction` masks in `live`.
    private static func fill(_ sealed: String, from live: String, name: String) -> String? {
        if sealed == Redaction.mask { return live }
        let liveSealed = Self.sealed(name: name, value: live)
        if liveSealed == Redaction.mask { return sealed == Redaction.mask ? live : nil }
        let pieces = liveSealed.components(separatedBy: Redaction.mask)
        let pattern = "^" + pieces.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "(.+?)") + "$"
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]),
              let match = regex.firstMatch(in: live, range: NSRange(live.startIndex..., in: live)) else { return nil }
        let secrets = (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: live).map { String(live[$0]) } }
        let holes = sealed.components(separatedBy: Redaction.mask)
        guard holes.count - 1 == secrets.count else { return nil }
        var result = holes[0]
        for (secret, rest) in zip(secrets, holes.dropFirst()) { result += secret + rest }
        return result
    }

    /// `node` with each literal env value (an `env` entry of a container, keyed here by
    /// `container/variable`) replaced by `transform`'s answer.
    private static func walk(_ node: Any, container: String? = nil, _ transform: (String, String) -> String) -> Any {
        if let array = node as? [Any] { return array.map { walk($0, container: container, transform) } }
        guard var object = node as? [String: Any] else { return node }
        let name = object["name"] as? String
        if let container, let name, let value = object["value"] as? String {
            object["value"] = transform("\(container)/\(name)", value)
            return object
        }
        let isContainer = name != nil && object["image"] != nil
        for (key, value) in object {
            object[key] = walk(value, container: key == "env" && isContainer ? name : nil, transform)
        }
        return object
    }
}
