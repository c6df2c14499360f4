import Foundation
import MedicKube
import Synchronization

/// What a rollout changed in the pod template, one line per field, the way a reviewer reads
/// a diff: `containers[profile].command: [profile] → [geo]`. Containers, init containers and
/// environment variables are matched by name. Environment values are never shown, only that
/// a variable was added, removed or changed: they may be secrets. Fields a controller writes
/// (`pod-template-hash`) and the stamp `kubectl rollout restart` sets are not changes.
public enum TemplateDiff {
    static let ignoredLabels: Set<String> = ["pod-template-hash"]
    static let ignoredAnnotations: Set<String> = ["kubectl.kubernetes.io/restartedAt"]

    /// The last diff asked for each workload. A failed rollout's workload is evaluated again
    /// whenever its pods change (a crash loop restarts every few seconds), and encoding both
    /// templates to compare them was a third of its evaluation. A kept diff is used only for the
    /// same revision and the same two templates (equal at once while the watched cache shares
    /// them); one per workload, so a workload's old templates are not kept once it moves on.
    private static let recent = Mutex<[ObjectRef: Diff]>([:])
    /// Past this many workloads, the kept diffs are dropped: they are only a shortcut.
    static let recentLimit = 1024
    private struct Diff {
        var revision: Int
        var old: PodTemplateSpec
        var new: PodTemplateSpec
        var changes: [String]
    }

    /// `changes(from:to:)` for `workload`'s template against its revision `revision`'s.
    static func changes(from old: PodTemplateSpec, to new: PodTemplateSpec, of workload: ObjectRef, revision: Int) -> [String] {
        if let kept = recent.withLock({ $0[workload] }), kept.revision == revision, kept.old == old, kept.new == new {
            return kept.changes
        }
        let changes = changes(from: old, to: new)
        recent.withLock { recent in
            if recent.count >= recentLimit, recent[workload] == nil { recent.removeAll() }
            recent[workload] = Diff(revision: revision, old: old, new: new, changes: changes)
        }
        return changes
    }

    public static func changes(from old: PodTemplateSpec, to new: PodTemplateSpec) -> [String] {
        // Most workloads' last good revision is the current one: nothing to encode.
        guard old != new, let before = json(old), let after = json(new) else { return [] }
        var lines: [String] = []
        compare(before, after, path: "", lines: &lines)
        return lines
    }

    private static func json(_ template: PodTemplateSpec) -> JSON? {
        var copy = template
        for label in ignoredLabels { copy.metadata.labels[label] = nil }
        for annotation in ignoredAnnotations { copy.metadata.annotations[annotation] = nil }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        guard let data = try? encoder.encode(copy) else { return nil }
        return try? KubeJSON.decode(JSON.self, from: data)
    }

    private static func compare(_ old: JSON?, _ new: JSON?, path: String, lines: inout [String]) {
        if old == new { return }
        let field = path.hasPrefix(".") ? String(path.dropFirst()) : path
        // A map that appears or disappears is shown key by key, like one that changed.
        if let before = old?.object ?? (old == nil ? [:] : nil), let after = new?.object ?? (new == nil ? [:] : nil) {
            for key in Set(before.keys).union(after.keys).sorted() {
                compare(before[key], after[key], path: "\(path).\(key)", lines: &lines)
            }
            return
        }
        if let before = old?.array ?? (old == nil ? [] : nil), let after = new?.array ?? (new == nil ? [] : nil),
           let key = matchKey(field), before.allSatisfy({ $0[key]?.string != nil }),
           after.allSatisfy({ $0[key]?.string != nil }) {
            let named = { (items: [JSON]) in
                Dictionary(items.map { ($0[key]!.string!, $0) }, uniquingKeysWith: { a, _ in a })
            }
            let (beforeByName, afterByName) = (named(before), named(after))
            let names = (before + after).compactMap { $0[key]?.string }
            var seen = Set<String>()
            for name in names where seen.insert(name).inserted {
                let itemPath = "\(path)[\(name)]"
                if field.hasSuffix("env") {
                    switch (beforeByName[name], afterByName[name]) {
                    case (nil, _?): lines.append("\(String(itemPath.dropFirst())) added")
                    case (_?, nil): lines.append("\(String(itemPath.dropFirst())) removed")
                    case let (a?, b?) where a != b: lines.append("\(String(itemPath.dropFirst())) changed")
                    default: break
                    }
                } else {
                    compare(beforeByName[name], afterByName[name], path: itemPath, lines: &lines)
                }
            }
            return
        }
        lines.append("\(field): \(show(old)) → \(show(new))")
    }

    /// Lists whose elements are identified by a name, as strategic merge patch keys them.
    private static func matchKey(_ field: String) -> String? {
        let last = field.split(separator: ".").last.map(String.init) ?? field
        return ["containers", "initContainers", "env", "volumes"].contains(last) ? "name" : nil
    }

    private static func show(_ value: JSON?) -> String {
        guard let value else { return "(none)" }
        let text: String = switch value {
        case .string(let string): string
        case .array(let items) where items.allSatisfy({ $0.string != nil }):
            "[" + items.compactMap(\.string).joined(separator: ", ") + "]"
        default: value.text
        }
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }
}
