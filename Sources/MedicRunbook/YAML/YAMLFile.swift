import Foundation

/// Reading medic's own YAML files (runbooks, policies, runbook tests): the file itself, and the
/// `apiVersion`/`kind` header they share, with the same errors everywhere.
public enum YAMLFile {
    public static let apiVersion = "medic.io/v1"

    /// The file's text. `expected` says what kind of file it should be (`a runbook (one YAML
    /// file with kind: Runbook)`), so a wrong path is answered with what to give instead.
    public static func read(_ path: String, expected: String) throws(LoadError) -> String {
        func failure(_ message: String) -> LoadError {
            LoadError(file: path, line: 0, column: 0, field: "", message: message)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw failure("no such file; expected \(expected)")
        }
        guard !isDirectory.boolValue else { throw failure("is a directory; expected \(expected)") }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw failure("cannot read it as \(expected): \(error.localizedDescription)")
        }
    }

    public static let runbookFile = "a runbook (one YAML file with kind: Runbook)"
    public static let policyFile = "a policy (one YAML file with kind: Policy)"
    public static let runbookTestFile = "a runbook test (one YAML file with runbooks: and tests:)"
}

extension YAMLMapping {
    /// Checks `apiVersion: medic.io/v1` and `kind: <kind>`.
    public func checkHeader(kind expected: String) throws(LoadError) {
        let version = try required("apiVersion")
        guard try version.string() == YAMLFile.apiVersion else {
            throw version.error("unsupported apiVersion '\(try version.string())' (expected \(YAMLFile.apiVersion))")
        }
        let kind = try required("kind")
        guard try kind.string() == expected else {
            throw kind.error("expected kind: \(expected), found '\(try kind.string())'")
        }
    }
}
