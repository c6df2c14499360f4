/// Puts a person's YAML back around medic's change. The emitter writes the patched document
/// without comments and in its own layout; every emitted line that matches an original line
/// once comments are set aside is replaced by that original line, verbatim, with the comment
/// lines and blank lines that stood above it. So a diff shows only what the fix changed.
enum CommentCarry {
    static func restore(original: String, emitted: String) -> String {
        var code: [String] = []
        var verbatim: [String] = []
        var above: [[String]] = []
        var pending: [String] = []
        for line in UnifiedDiff.lines(original) {
            let content = withoutComment(line)
            if content.allSatisfy(\.isWhitespace) {
                pending.append(line)
            } else {
                code.append(content)
                verbatim.append(line)
                above.append(pending)
                pending = []
            }
        }
        var output: [String] = []
        for edit in UnifiedDiff.edits(code, UnifiedDiff.lines(emitted)) {
            switch edit.kind {
            case .same:
                output += above[edit.oldLine - 1] + [verbatim[edit.oldLine - 1]]
            case .added:
                output.append(edit.text)
            case .removed:
                // A changed line keeps the comments above it.
                output += above[edit.oldLine - 1]
            }
        }
        return (output + pending).map { $0 + "\n" }.joined()
    }

    /// The line without a trailing `# comment` and trailing blanks. A `#` starts a comment
    /// only after a blank and outside quotes, as in YAML.
    static func withoutComment(_ line: String) -> String {
        var single = false, double = false
        var previous: Character = " "
        var end = line.endIndex
        for index in line.indices {
            let character = line[index]
            switch character {
            case "'" where !double: single.toggle()
            case "\"" where !single && previous != "\\": double.toggle()
            case "#" where !single && !double && previous.isWhitespace:
                end = index
            default: break
            }
            if end != line.endIndex { break }
            previous = character
        }
        var content = String(line[..<end])
        while content.last?.isWhitespace == true { content.removeLast() }
        return content
    }
}
