/// How far medic may go. Ordered from harmless to acting, so "never raise the policy's mode"
/// is a plain `min`.
public enum Mode: String, Sendable, CaseIterable, Comparable {
    /// Read-only: findings and proposed commands, nothing sent.
    case advise
    /// Every allowed action is sent with `dryRun=All`: the API proves it would accept it.
    case dryRun = "dry-run"
    /// Allowed actions are executed, then verified.
    case apply

    private var rank: Int {
        switch self {
        case .advise: 0
        case .dryRun: 1
        case .apply: 2
        }
    }

    public static func < (lhs: Mode, rhs: Mode) -> Bool { lhs.rank < rhs.rank }
}
