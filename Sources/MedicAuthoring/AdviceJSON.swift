import Foundation
import MedicDiagnosis

/// The `--output json` document: DESIGN.md's contract (`findings`, each with `runbook`,
/// `severity`, `target`, `summary`, `evidence`, `actions[].type/command/decision`), plus
/// `conditions` per finding and the `unknown` checks.
public enum AdviceJSON {
    public static func render(_ report: DiagnosisReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
