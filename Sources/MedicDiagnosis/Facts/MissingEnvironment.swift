import Foundation

/// Environment variables a crashed container's last words say it needed and did not get, in
/// the wording of the common runtimes: "environment variable DB_NAME is not set" (Go panics,
/// Java exceptions), "missing required env var DB_NAME", "DB_NAME must be set", Python's
/// `KeyError: 'DB_NAME'`, Node's "process.env.DB_NAME is undefined", Go envconfig's "required
/// key DB_NAME missing value", Spring's "Could not resolve placeholder 'DB_NAME'", and the
/// shell's "DB_NAME: parameter not set" / "DB_NAME: unbound variable". The text is the
/// previous log or the termination message. Only names the container does not set count, so
/// a log that merely mentions a variable it has is no evidence. Each name comes with the line
/// that says so.
public enum MissingEnvironment {
    private static let name = #"([A-Z_][A-Z0-9_]{1,})"#
    private static let patterns: [NSRegularExpression] = [
        #"(?:environment|env)\s+(?:variable|var)s?\s+[\"'`]?"# + name + #"[\"'`]?\s+(?:is\s+)?(?:not\s+set|missing|required|undefined|empty|unset)"#,
        #"(?:missing|required|undefined|unset)\s+(?:required\s+)?(?:environment|env)\s*(?:variable|var)?s?\s*[:=]?\s*[\"'`]?"# + name,
        #"\b"# + name + #"[\"'`]?\s+(?:environment\s+variable\s+)?(?:is\s+)?(?:not\s+set|must\s+be\s+set|is\s+required|is\s+missing|not\s+defined)"#,
        #"KeyError:\s*'"# + name + #"'"#,
        #"process\.env\."# + name + #"\s+is\s+undefined"#,
        #"required\s+key\s+"# + name + #"\s+missing\s+value"#,
        #"could\s+not\s+resolve\s+placeholder\s+'"# + name + #"'"#,
        #"\b"# + name + #":\s+(?:parameter\s+(?:null\s+or\s+)?not\s+set|unbound\s+variable)"#,
    ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    /// Names missing from `env`, in the order the log first mentions them, with their line.
    public static func names(inLog log: String, env: Set<String>) -> [(name: String, line: String)] {
        var found: [(name: String, line: String)] = []
        for line in log.split(whereSeparator: \.isNewline).map(String.init) {
            let range = NSRange(line.startIndex..., in: line)
            for pattern in patterns {
                for match in pattern.matches(in: line, range: range) {
                    guard let captured = Range(match.range(at: 1), in: line) else { continue }
                    let candidate = String(line[captured])
                    // Case-insensitive matching finds the phrase; a variable is still written in capitals.
                    guard candidate == candidate.uppercased(), candidate.contains(where: \.isLetter),
                          !env.contains(candidate), !found.contains(where: { $0.name == candidate })
                    else { continue }
                    found.append((candidate, line.trimmingCharacters(in: .whitespaces)))
                }
            }
        }
        return found
    }
}
