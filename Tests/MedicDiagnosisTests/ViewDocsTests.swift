import Foundation
import Testing
import MedicRunbook
@testable import MedicDiagnosis

/// docs/runbooks.md and the enriched view cannot drift apart: every field its tables document
/// is in the view built from the fixtures, every field of the view is documented, and a row
/// about a record or a list of records names each of its fields.
@Suite struct ViewDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/runbooks.md")

    /// One table row: the field names of its first column and its meaning.
    struct Row {
        var names: [String]
        var meaning: String
    }

    /// The field table under each heading, keyed by heading.
    static func tables() throws -> [String: [Row]] {
        var tables: [String: [Row]] = [:]
        var heading = ""
        for line in try String(contentsOf: docs, encoding: .utf8).split(separator: "\n").map(String.init) {
            if line.hasPrefix("#") {
                heading = line
                continue
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("| `"), cells.count >= 5 else { continue }
            tables[heading, default: []].append(Row(names: backticked(cells[1]), meaning: cells[3]))
        }
        return tables
    }

    static func backticked(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// Every key each record of the view had in any fixture, with a sample value per key.
    static func views() throws -> [String: [String: CELValue]] {
        var records: [String: [String: CELValue]] = [:]
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: RunbookFixtures.directory.path)
            .filter { $0.hasSuffix(".json") }
        for fixture in fixtures {
            let cluster = try RunbookFixtures.cluster(fixture)
            for workload in cluster.workloads {
                guard case .map(let fields) = WorkloadView.value(of: workload, in: cluster) else { continue }
                records["workload", default: [:]].merge(fields) { a, _ in a }
                if case .list(let containers)? = fields["containers"] {
                    for case .map(let container) in containers { records["container", default: [:]].merge(container) { a, _ in a } }
                }
                if case .map(let namespace) = NamespaceView.value(named: workload.namespace, in: cluster) {
                    records["namespace", default: [:]].merge(namespace) { a, _ in a }
                }
            }
            for service in cluster.services {
                guard case .map(let fields) = ServiceView.value(of: service, in: cluster) else { continue }
                records["service", default: [:]].merge(fields) { a, _ in a }
            }
        }
        return records
    }

    /// The names of a record's fields in the schema (a record, or a list of them, or either or null).
    static func subfields(_ type: ViewSchema.FieldType) -> [String] {
        switch type {
        case .record(_, let fields): fields.keys.sorted()
        case .list(let element), .nullable(let element): subfields(element)
        default: []
        }
    }

    static let sections = [
        ("### `workload`", "workload", ViewSchema.workload),
        ("### A container (`workload.containers[i]`)", "container", ViewSchema.container),
        ("### `service`", "service", ViewSchema.service),
        ("### `namespace`", "namespace", ViewSchema.namespace),
    ]

    @Test(arguments: sections.map(\.1))
    func theDocumentedFieldsAreTheViewsFields(record: String) throws {
        let (heading, _, schema) = try #require(Self.sections.first { $0.1 == record })
        let rows = try #require(try Self.tables()[heading], "docs/runbooks.md has no field table under \(heading)")
        let view = try #require(try Self.views()[record])
        let documented = rows.flatMap(\.names)
        #expect(documented.filter { view[$0] == nil } == [], "documented under \(heading) but not in the view")
        #expect(view.keys.sorted().filter { !documented.contains($0) } == [], "in the view but not documented under \(heading)")

        guard case .record(_, let fields) = schema else { return }
        let workloadRows = try #require(try Self.tables()["### `workload`"])
        for row in rows {
            for name in row.names where name != "containers" {
                // "(as in `workload.pods`)" borrows that row's list of fields.
                let borrowed = Self.backticked(row.meaning).first { $0.hasPrefix("workload.") }
                    .flatMap { reference in workloadRows.first { $0.names.contains(String(reference.dropFirst("workload.".count))) } }
                let words = Set(Self.backticked(row.meaning + (borrowed?.meaning ?? "")))
                let missing = Self.subfields(fields[name] ?? .string).filter { !words.contains($0) }
                #expect(missing == [], "docs/runbooks.md, \(heading), `\(name)`: its fields \(missing) are not named")
            }
        }
    }
}
