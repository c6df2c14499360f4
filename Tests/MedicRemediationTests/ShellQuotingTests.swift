import MedicRemediation
import Testing

@Suite struct ShellQuotingTests {
    @Test(arguments: [
        ("auth-service", "auth-service"),
        ("--limits=memory=128Mi,cpu=500m", "--limits=memory=128Mi,cpu=500m"),
        ("deployment/web", "deployment/web"),
        ("user@host:5%+x", "user@host:5%+x"),
        ("", "''"),
        ("a'b", #"'a'"'"'b'"#),
        ("$(rm -rf /)", "'$(rm -rf /)'"),
        ("two words", "'two words'"),
        ("line\nbreak", "'line\nbreak'"),
        ("a;b", "'a;b'"),
        ("héllo", "'héllo'"),
        ("`id`", "'`id`'"),
        ("~root", "'~root'"),
        ("*", "'*'"),
        (#"back\slash"#, #"'back\slash'"#),
        ("'", #"''"'"''"#),
        (#"{"spec":{"replicas":3}}"#, #"'{"spec":{"replicas":3}}'"#),
    ])
    func quotesOnlyWhatTheShellWouldInterpret(word: String, expected: String) {
        #expect(ShellQuoting.quote(word) == expected)
    }

    @Test func joinsQuotedWordsWithSpaces() {
        #expect(ShellQuoting.command(["kubectl", "-n", "prod", "set", "env", "deployment/api", "MSG=hi there"])
            == "kubectl -n prod set env deployment/api 'MSG=hi there'")
    }
}
