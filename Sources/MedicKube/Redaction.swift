import Foundation

/// Masks secret values in text medic prints or records: the password of a URL's userinfo
/// (`postgres://orders:****@db:5432`), the value of a variable or field named like a secret
/// (`DB_PASSWORD=****`, `"apiToken": "****"`), bearer tokens, JWTs and AWS access keys. Names,
/// hosts, image digests and ordinary values stay, so the text still says what is wrong.
public enum Redaction {
    public static let mask = "****"

    private static let rules: [(NSRegularExpression, String)] = [
        // scheme://user:password@host → scheme://user:****@host
        (#"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"']*):([^@\s/"']+)@"#, "$1:\(mask)@"),
        // NAME=value and "name": "value" for names that say they hold a secret.
        (#"(?i)\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s,;&"']+)"#,
         "$1=\(mask)"),
        (#"(?i)("[a-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*"\s*:\s*)"[^"]*""#,
         "$1\"\(mask)\""),
        (#"(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}"#, "$1 \(mask)"),
        (#"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#, mask),
        (#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#, mask),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// `text` with every secret value replaced by `****`.
    public static func redact(_ text: String) -> String {
        var result = text
        for (pattern, template) in rules {
            result = pattern.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                      withTemplate: template)
        }
        return result
    }
}
