import Foundation
import Testing

/// A wrong path answers with the path and what kind of file belongs there, never a bare
/// "cannot read" or a Foundation error code.
@Suite struct FileErrorTests {
    static let missing = "/nonexistent/medic-test/thing.yaml"

    /// (arguments, what the error must say after the path)
    static let cases: [([String], String)] = [
        (["lint", missing], "no such file or directory; expected a runbook (one YAML file with kind: Runbook)"),
        (["lint", "--policy", missing], "no such file; expected a policy (one YAML file with kind: Policy)"),
        (["deploy", "rbac", "--policy", missing], "no such file; expected a policy (one YAML file with kind: Policy)"),
        (["run", "--once", "--policy", missing], "does not exist; expected a policy (one YAML file with kind: Policy)"),
        (["advise", "--snapshot", missing], "no such file; expected a snapshot: one JSON file"),
        (["advise", "--kubeconfig", missing], "cannot read the kubeconfig file: "),
        (["test", missing], "no such file or directory; expected a runbook test (one YAML file with runbooks: and tests:)"),
        (["advise", "--snapshot", "/dev/null", "--runbooks", missing], "no such directory; expected a directory of runbooks"),
    ]

    @Test(arguments: cases)
    func namesThePathAndTheKindOfFile(arguments: [String], says: String) throws {
        let result = try MedicBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stdout)")
        #expect(result.stderr.contains(Self.missing), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func aDirectoryWhereAFileBelongsSaysWhatFileIsExpected() throws {
        let directory = MedicBinary.repository.appendingPathComponent("docs").path
        let policy = try MedicBinary.run(["deploy", "rbac", "--policy", directory])
        #expect(policy.status == 2)
        #expect(policy.stderr.contains("\(directory): is a directory; expected a policy (one YAML file with kind: Policy)"),
                "\(policy.stderr)")
    }
}
