/// A unified diff of one file, in the form `git apply` takes (`diff --git` header, `a/` and
/// `b/` paths, three lines of context), from a longest-common-subsequence line match.
/// Manifests are small: the quadratic table is a few hundred lines squared at most.
enum UnifiedDiff {
    static let context = 3

    static func file(_ path: String, from old: String, to new: String) -> String {
        let a = lines(old), b = lines(new)
        let edits = edits(a, b)
        var out = "diff --git a/\(path) b/\(path)\n--- a/\(path)\n+++ b/\(path)\n"
        var index = 0
        while index < edits.count {
            guard let firstChange = edits[index...].firstIndex(where: { $0.kind != .same }) else { break }
            // A hunk runs until the changes are more than twice the context apart.
            var end = firstChange
            var cursor = firstChange
            while cursor < edits.count {
                if edits[cursor].kind != .same { end = cursor; cursor += 1; continue }
                let run = edits[cursor...].prefix { $0.kind == .same }.count
                if cursor + run >= edits.count || run > 2 * context { break }
                cursor += run
            }
            let start = max(index, firstChange - context)
            let stop = min(edits.count, end + 1 + context)
            let hunk = edits[start..<stop]
            let oldStart = hunk.first!.oldLine, newStart = hunk.first!.newLine
            let oldCount = hunk.filter { $0.kind != .added }.count
            let newCount = hunk.filter { $0.kind != .removed }.count
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for edit in hunk {
                out += (edit.kind == .same ? " " : edit.kind == .added ? "+" : "-") + edit.text + "\n"
            }
            index = stop
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start - 1),0" : count == 1 ? "\(start)" : "\(start),\(count)"
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    struct Edit {
        enum Kind { case same, added, removed }
        var kind: Kind
        var text: String
        /// 1-based line numbers this edit sits at in the old and new file.
        var oldLine: Int
        var newLine: Int
    }

    /// The shortest edit script from `a` to `b`, removals before additions.
    static func edits(_ a: [String], _ b: [String]) -> [Edit] {
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                edits.append(Edit(kind: .same, text: a[i], oldLine: i + 1, newLine: j + 1)); i += 1; j += 1
            } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
                edits.append(Edit(kind: .removed, text: a[i], oldLine: i + 1, newLine: j + 1)); i += 1
            } else {
                edits.append(Edit(kind: .added, text: b[j], oldLine: i + 1, newLine: j + 1)); j += 1
            }
        }
        return edits
    }
}
