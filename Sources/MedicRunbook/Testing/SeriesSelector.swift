/// A series as promtool's `input_series` writes it: `name{label="value", …}`.
enum SeriesSelector {
    struct SyntaxError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws(SyntaxError) -> (String, [String: String]) {
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        var index = 0
        func isNameCharacter(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ":")
        }
        while index < characters.count, isNameCharacter(characters[index]) { index += 1 }
        let name = String(characters[..<index])
        guard !name.isEmpty, !name.first!.isNumber else {
            throw SyntaxError(description: "expected a metric name such as http_requests_total{job=\"x\"}")
        }
        var labels: [String: String] = [:]
        guard index < characters.count else { return (name, labels) }
        guard characters[index] == "{", characters.last == "}" else {
            throw SyntaxError(description: "expected '{label=\"value\", …}' after the metric name")
        }
        index += 1
        while index < characters.count - 1 {
            while characters[index] == " " || characters[index] == "," { index += 1 }
            if index >= characters.count - 1 { break }
            let start = index
            while index < characters.count, isNameCharacter(characters[index]) { index += 1 }
            let label = String(characters[start..<index])
            guard !label.isEmpty, index + 1 < characters.count, characters[index] == "=", characters[index + 1] == "\""
            else { throw SyntaxError(description: "expected label=\"value\" at offset \(start)") }
            index += 2
            var value = ""
            while index < characters.count, characters[index] != "\"" {
                if characters[index] == "\\", index + 1 < characters.count {
                    index += 1
                    value.append(characters[index] == "n" ? "\n" : characters[index])
                } else {
                    value.append(characters[index])
                }
                index += 1
            }
            guard index < characters.count else { throw SyntaxError(description: "unterminated label value") }
            index += 1
            labels[label] = value
        }
        return (name, labels)
    }
}
