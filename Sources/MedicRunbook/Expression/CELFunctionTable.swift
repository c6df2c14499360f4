/// The functions an expression may call, by name.
///
/// A table rather than a fixed switch so that medic can add domain functions (quantity
/// parsing and formatting, for instance) next to the code that knows the domain. A global
/// call `f(a, b)` and a receiver call `a.f(b)` both call `f` with arguments `[a, b]`.
public struct CELFunctionTable: Sendable {
    public typealias Function = @Sendable ([CELValue]) throws(CELError) -> CELValue

    private var functions: [String: Function] = [:]
    /// True while `matches` is the built-in one, so literal patterns may use their precompiled regex.
    private(set) var hasBuiltinMatches = false

    /// An empty table; start from `.standard` to keep CEL's usual functions.
    public init() {}

    /// Adds or replaces `name`. Errors thrown with `CELError.evaluation(_:)` are reported at the call.
    public mutating func register(_ name: String, _ body: @escaping Function) {
        functions[name] = body
        if name == "matches" { hasBuiltinMatches = false }
    }

    mutating func registerBuiltinMatches(_ body: @escaping Function) {
        functions["matches"] = body
        hasBuiltinMatches = true
    }

    public func function(named name: String) -> Function? {
        functions[name]
    }

    /// Every callable name, sorted.
    public var names: [String] { functions.keys.sorted() }

    /// The error for a call to a name that is neither a function nor a macro, suggesting the
    /// closest known name when it is a plausible typo.
    func unknownFunction(_ name: String) -> CELError {
        let candidates = Set(functions.keys).union(CELNode.Macro.allCases.map(\.rawValue)).union(["has"])
        let scored = candidates.map { (name: $0, distance: Self.editDistance(name, $0)) }
        let limit = max(1, min(2, name.count / 3))
        let best = scored.filter { $0.distance > 0 && $0.distance <= limit }.min { ($0.distance, $0.name) < ($1.distance, $1.name) }
        let hint = best.map { " (did you mean '\($0.name)'?)" } ?? ""
        return .evaluation("unknown function '\(name)'\(hint)")
    }

    /// Levenshtein distance counted in characters, case-sensitive.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                row[j] = min(previous[j] + 1, row[j - 1] + 1, substitution)
            }
            previous = row
        }
        return previous[b.count]
    }
}
