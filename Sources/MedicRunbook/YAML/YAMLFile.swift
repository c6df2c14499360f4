import Foundation

/// Reading medic's own YAML files (runbooks, policies, runbook tests): the file itself, and the
/// `apiVersion`/`kind` header they share, with the same errors everywhere.
public enum YAMLFile {
    public static let apiVersion = "medic.io/v1"

    public static func read(_ path: String) throws(LoadError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LoadError(file: path, line: 0, column: 0, field: "",
                            message: "cannot read the file: \(error.localizedDescription)")
        }
    }
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
