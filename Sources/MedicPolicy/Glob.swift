/// A shell-style name pattern (`*` any run of characters, `?` one character, everything else
/// literal), the form people already use for namespaces and env var names. No character
/// classes: names in Kubernetes and env vars never need them.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String

    public init(_ pattern: String) {
        self.pattern = pattern
    }

    public var description: String { pattern }

    public func matches(_ name: String) -> Bool {
        let pattern = Array(pattern), name = Array(name)
        var p = 0, n = 0
        var star: Int?
        var resume = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = n
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                n = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension Array where Element == Glob {
    /// True when any pattern matches.
    func anyMatches(_ name: String) -> Bool { contains { $0.matches(name) } }

    /// `kube-system, kube-*` for messages.
    var listed: String { map(\.pattern).joined(separator: ", ") }
}
