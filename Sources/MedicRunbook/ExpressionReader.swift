/// Parses the CEL expressions and templates of a rule file, and turns a position inside an
/// expression into the file's own line and column, so an author sees the exact spot.
struct ExpressionReader {
    private let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func expression(_ node: YAMLNode, source: String? = nil, offset: Int = 0) throws(LoadError) -> CELExpression {
        let text: String
        if let source { text = source } else { text = try node.string() }
        do {
            return try CELExpression(text)
        } catch {
            throw located(error, in: node, offset: offset)
        }
    }

    func template(_ node: YAMLNode) throws(LoadError) -> Template {
        let text = try node.string()
        do {
            return try Template(text)
        } catch {
            throw located(error, in: node, offset: 0)
        }
    }

    private func located(_ error: CELError, in node: YAMLNode, offset: Int) -> LoadError {
        guard case .scalar(let value, let style) = node.content else { return node.error(error.message) }
        // A block scalar ends with a newline; an error at the end of input belongs on the last line.
        let end = value.reversed().drop(while: \.isWhitespace).count
        var remaining = min(offset + error.offset, end)
        var line: Int
        var column: Int
        switch style {
        case .plain:
            line = node.line
            column = node.column
        case .quoted:
            line = node.line
            column = node.column + 1
        case .block:
            line = node.line + 1
            column = indentation(of: line) + 1
        }
        while let text = text(of: line), remaining > text.count - (column - 1), line < lines.count {
            remaining -= text.count - (column - 1) + 1
            line += 1
            column = indentation(of: line) + 1
        }
        return LoadError(file: node.file, line: line, column: column + max(0, remaining),
                         field: node.path, message: error.message)
    }

    private func text(of line: Int) -> Substring? {
        line >= 1 && line <= lines.count ? lines[line - 1] : nil
    }

    private func indentation(of line: Int) -> Int {
        text(of: line)?.prefix(while: { $0 == " " }).count ?? 0
    }
}
