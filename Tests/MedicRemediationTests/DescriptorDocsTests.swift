import Foundation
import MedicKube
import MedicRemediation
import Testing

/// docs/actions.md's descriptor table says what `Action.registry` holds: one row per action, in
/// registry order, with its runbook parameters (required ones starred) and its reversal.
@Suite struct DescriptorDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/actions.md").standardizedFileURL

    /// The rows of the table under "## One descriptor per action", as cells.
    static func rows() throws -> [[String]] {
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## One descriptor per action").dropFirst().first)
            .components(separatedBy: "\n## ").first ?? ""
        return section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test func everyRegisteredActionHasItsRow() throws {
        let rows = try Self.rows()
        #expect(rows.map { $0[0] } == ActionKind.allCases.map { "`\($0.rawValue)`" })
        for (row, descriptor) in zip(rows, Action.registry) {
            let documented: [String] = row[1] == "none" ? [] : row[1].components(separatedBy: "`").enumerated()
                .filter { $0.offset % 2 == 1 }.map { parameter in
                    let starred = row[1].contains("`\(parameter.element)`*")
                    return "\(parameter.element)\(starred ? "*" : "")"
                }
            #expect(documented == descriptor.parameters.map { "\($0.name)\($0.required ? "*" : "")" }, "\(row[0])")
            switch descriptor.example.reversal {
            case .restore(let pointer, let test):
                let shown = pointer.replacingOccurrences(of: "/0/", with: "/N/")
                #expect(row[2] == "`\(shown)`" + (test == nil ? "" : ", tested"), "\(row[0])")
            case .restoreContainerField(let field):
                #expect(row[2].hasPrefix("`/spec/template/spec/containers/C/\(field)`"), "\(row[0])")
            case .irreversible: #expect(row[2] == "irreversible", "\(row[0])")
            case .nothingChanged: #expect(row[2] == "changes nothing", "\(row[0])")
            }
        }
    }
}
