import Foundation
import MedicRunbook

extension FuzzTarget {
    /// `CELExpression.init` (the parser every runbook expression goes through), then an
    /// evaluation with a few bindings so the evaluator meets whatever parsed.
    public static let cel = FuzzTarget(name: "cel") { input in
        let source = String(decoding: input, as: UTF8.self)
        let expression: CELExpression
        do throws(CELError) {
            expression = try CELExpression(source)
        } catch {
            return check(error, in: source)
        }
        do throws(CELError) {
            _ = try expression.evaluate(celBindings)
        } catch {
            return check(error, in: source)
        }
        return nil
    }

    private static let celBindings: [String: CELValue] = [
        "workload": .map(["name": .string("web"), "replicas": .int(3),
                          "labels": .map(["app": .string("web")]),
                          "containers": .list([.map(["name": .string("app"), "restarts": .int(7)])])]),
        "now": .timestamp(Date(timeIntervalSince1970: 1_700_000_000)),
    ]

    /// A CEL error points at a character of the expression (or just past its end).
    private static func check(_ error: CELError, in source: String) -> FuzzViolation? {
        guard error.offset >= 0, error.offset <= source.count, error.line >= 1, error.column >= 1 else {
            return FuzzViolation("CEL error at offset \(error.offset) (\(error.line):\(error.column)) outside a "
                + "\(source.count)-character expression: \(error.message)")
        }
        return nil
    }
}
