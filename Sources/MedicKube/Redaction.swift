import Foundation

/// Masks secret values in text medic prints or records: the password of a URL's userinfo
/// (`postgres://orders:****@db:5432`), the value of a variable or field named like a secret
/// (`DB_PASSWORD=****`, `"apiToken": "****"`), bearer tokens, JWTs and AWS access keys. Names,
/// hosts, image digests and ordinary values stay, so the text still says what is wrong.
public enum Redaction {
    public static let mask = "****"

    /// Each rule with words the text must contain (lowercased) for its pattern to match at
    /// all: most texts have none of them, and skipping the regular expression then keeps
    /// redaction off the profile of a pass over thousands of findings.
    private static let rules: [(pattern: NSRegularExpression, template: String, needs: [String])] = [
        // scheme://user:password@host → scheme://user:****@host
        (#"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"']*):([^@\s/"']+)@"#, "$1:\(mask)@", ["://"]),
        // NAME=value and "name": "value" for names that say they hold a secret.
        (#"(?i)\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s,;&"']+)"#,
         "$1=\(mask)", ["pass", "pwd", "secret", "token", "key", "credential"]),
        (#"(?i)("[a-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*"\s*:\s*)"[^"]*""#,
         "$1\"\(mask)\"", ["pass", "secret", "token", "key", "credential"]),
        (#"(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}"#, "$1 \(mask)", ["bearer", "basic"]),
        (#"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#, mask, ["eyj"]),
        (#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#, mask, ["akia", "asia"]),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1, $0.2) }

    /// `text` with every secret value replaced by `****`.
    public static func redact(_ text: String) -> String {
        redact(text, skippingRulesThatCannotMatch: true)
    }

    /// The same with or without the words check (tests compare the two).
    static func redact(_ text: String, skippingRulesThatCannotMatch skip: Bool) -> String {
        var result = text
        var lowered = text.lowercased()
        for rule in rules where !skip || rule.needs.contains(where: lowered.containsBytes) {
            result = rule.pattern.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                           withTemplate: rule.template)
            lowered = result.lowercased()
        }
        return result
    }
}
