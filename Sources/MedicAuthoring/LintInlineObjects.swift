import Foundation
import MedicKube
import MedicRunbook

/// Keys in a test's inline objects that medic does not read: decoded into medic's models and
/// encoded again, whatever did not survive had no effect on the test. A misspelt field
/// (`replica:`) would otherwise leave the object as if it were not written, and the test
/// would pass or fail for the wrong reason. A key close to a field medic reads is an error
/// with a did-you-mean. Any other unread key is a real Kubernetes field medic has no use for
/// (objects are often copied from real manifests, `terminationMessagePolicy` and the like):
/// not reported, since it is not a mistake.
enum LintInlineObjects {
    static func check(file: String) -> [LintDiagnostic] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              let root = try? YAMLNode.parse(text, file: file),
              let tests = try? root.mapping(allowed: nil)["tests"], case .sequence(let testNodes) = tests.content
        else { return [] }
        var diagnostics: [LintDiagnostic] = []
        for test in testNodes {
            guard let objects = try? test.mapping(allowed: nil)["objects"], case .sequence(let items) = objects.content
            else { continue }
            for (index, item) in items.enumerated() {
                guard let fields = try? item.mapping(allowed: nil), let kind = try? fields["kind"]?.string(),
                      var object = (try? RunbookTestLoader.jsonValue(item)) as? [String: Any] else { continue }
                ManifestDefaults.apply(&object, kind: kind, evalTime: Date(timeIntervalSince1970: 0), index: index)
                guard let read = readBack(object) else { continue }
                let name = (object["metadata"] as? [String: Any])?["name"] as? String ?? "#\(index)"
                for unread in unreadKeys(item, written: object, read: read.json, path: "") {
                    guard let guess = Spelling.closest(to: unread.key, among: read.known.sorted()) else { continue }
                    diagnostics.append(LintDiagnostic(
                        file: file, line: unread.node.line, column: unread.node.column, severity: .error,
                        message: "\(item.path) (\(kind) \(name)): medic does not read \(unread.path) (did you mean '\(guess)'?)"))
                }
            }
        }
        return diagnostics
    }

    /// The object as medic decodes it, encoded again, and every field name medic's models
    /// have (set or not), for suggestions.
    private static func readBack(_ object: [String: Any]) -> (json: [String: Any], known: Set<String>)? {
        guard let data = try? JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "List", "items": [object]]),
              let snapshot = try? Snapshot.decode(data, source: "inline"),
              let encoded = try? snapshot.encodedList(),
              let list = try? JSONSerialization.jsonObject(with: encoded) as? [String: Any],
              let item = (list["items"] as? [[String: Any]])?.first else { return nil }
        var known: Set<String> = []
        collectLabels(Mirror(reflecting: snapshot), into: &known, depth: 0)
        return (item, known)
    }

    private static func collectLabels(_ mirror: Mirror, into known: inout Set<String>, depth: Int) {
        guard depth < 12 else { return }
        for child in mirror.children {
            if let label = child.label {
                known.insert(label.hasPrefix("_") ? String(label.dropFirst()) : label)
            }
            collectLabels(Mirror(reflecting: child.value), into: &known, depth: depth + 1)
        }
    }

    private struct Unread {
        var key: String
        var path: String
        var node: YAMLNode
    }

    private static func unreadKeys(_ node: YAMLNode, written: Any, read: Any?, path: String) -> [Unread] {
        switch node.content {
        case .mapping(let pairs):
            guard let written = written as? [String: Any] else { return [] }
            let read = read as? [String: Any]
            var found: [Unread] = []
            for pair in pairs {
                guard case .scalar(let key, _) = pair.key.content, let value = written[key] else { continue }
                let here = path.isEmpty ? key : "\(path).\(key)"
                if let readValue = read?[key] {
                    found += unreadKeys(pair.value, written: value, read: readValue, path: here)
                } else if !isEmpty(value) {
                    found.append(Unread(key: key, path: here, node: pair.key))
                }
            }
            return found
        case .sequence(let items):
            guard let written = written as? [Any], let read = read as? [Any] else { return [] }
            return items.enumerated().flatMap { index, item in
                index < written.count && index < read.count
                    ? unreadKeys(item, written: written[index], read: read[index], path: "\(path)[\(index)]") : []
            }
        case .scalar:
            return []
        }
    }

    /// `{}`, `[]`, `null` and `""` say nothing, so dropping them changes nothing.
    private static func isEmpty(_ value: Any) -> Bool {
        switch value {
        case is NSNull: true
        case let text as String: text.isEmpty
        case let list as [Any]: list.isEmpty
        case let map as [String: Any]: map.isEmpty
        default: false
        }
    }
}
