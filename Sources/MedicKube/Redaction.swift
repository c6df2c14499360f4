import Foundation

/// Masks secret values in text medic prints or records: the password of a URL's userinfo
/// (`postgres://orders:****@db:5432`), the value of a variable or field named like a secret
/// (`DB_PASSWORD=****`, `"apiToken": "****"`), bearer tokens, JWTs, AWS access keys, Slack and
/// GitHub tokens, and any other token-like run: 32 or more base64 characters mixing upper case,
/// lower case and digits, which no Kubernetes name, hex digest or UID does (a `/` or a `-` ends a
/// run, so a URL keeps its host and only the token-like path segment goes, and a kebab-case name
/// with an upper-case UUID in it stays). Names, hosts, image
/// digests and ordinary values stay, so the text still says what is wrong.
public enum Redaction {
    public static let mask = "****"

    /// Each rule with words the text must contain (lowercased) for its pattern to match at
    /// all: most texts have none of them, and skipping the regular expression then keeps
    /// redaction off the profile of a pass over thousands of findings. An empty list means the
    /// text needs a run of `tokenLength` token characters (`hasTokenRun`).
    private static let rules: [(pattern: NSRegularExpression, template: String, needs: [String])] = [
        // scheme://user:password@host → scheme://user:****@host
        (#"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"']*):([^@\s/"']+)@"#, "$1:\(mask)@", ["://"]),
        // NAME=value and "name": "value" for names that say they hold a secret (a value already
        // masked is left alone, so masking twice changes nothing).
        (#"(?i)\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*)=(?!\*{4})("[^"]*"|'[^']*'|[^\s,;&"']+)"#,
         "$1=\(mask)", ["pass", "pwd", "secret", "token", "key", "credential"]),
        (#"(?i)("[a-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*"\s*:\s*)"[^"]*""#,
         "$1\"\(mask)\"", ["pass", "secret", "token", "key", "credential"]),
        (#"(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}"#, "$1 \(mask)", ["bearer", "basic"]),
        (#"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#, mask, ["eyj"]),
        (#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#, mask, ["akia", "asia"]),
        (#"\bxox[abposr]-[A-Za-z0-9-]{10,}"#, mask, ["xox"]),
        (#"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"#, mask, ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        (#"(?<![A-Za-z0-9+_])(?=[A-Za-z0-9+_]*[A-Z])(?=[A-Za-z0-9+_]*[a-z])(?=[A-Za-z0-9+_]*[0-9])[A-Za-z0-9+_]{32,}={0,2}"#,
         mask, []),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1, $0.2) }

    /// `text` with every secret value replaced by `****`.
    public static func redact(_ text: String) -> String {
        redact(text, skippingRulesThatCannotMatch: true)
    }

    /// The same with or without the words check (tests compare the two).
    static func redact(_ text: String, skippingRulesThatCannotMatch skip: Bool) -> String {
        var result = text
        var lowered = text.lowercased()
        for rule in rules where !skip || (rule.needs.isEmpty ? hasTokenRun(result) : rule.needs.contains(where: lowered.containsBytes)) {
            result = rule.pattern.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                           withTemplate: rule.template)
            lowered = result.lowercased()
        }
        return result
    }

    static let tokenLength = 32

    /// Whether `text` has `tokenLength` token characters in a row: a scan of its bytes, far
    /// cheaper than the token rule's regular expression, which most texts never need.
    private static func hasTokenRun(_ text: String) -> Bool {
        var run = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "+"), UInt8(ascii: "_"):
                run += 1
                if run >= tokenLength { return true }
            default:
                run = 0
            }
        }
        return false
    }
}
