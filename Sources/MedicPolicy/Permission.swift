import MedicRemediation

/// What a policy says about one action type.
public enum Permission: String, Sendable, CaseIterable {
    case allowed
    case needsApproval = "needs-approval"
    case denied
}

/// The rule for one action type. For the actions that set variables (`set-env`, `unset-env`:
/// those with an `envNamesParameter`) it can be narrowed to variable names: "set-env only for chaos flags" is `permission: allowed, envNames: [CHAOS_*],
/// otherwise: needs-approval`.
public struct ActionRule: Sendable, Equatable {
    public var permission: Permission
    /// When set, `permission` applies only if every variable the action touches matches one of
    /// these patterns; otherwise `otherwise` applies.
    public var envNames: [Glob]?
    public var otherwise: Permission

    public init(_ permission: Permission, envNames: [Glob]? = nil, otherwise: Permission = .denied) {
        self.permission = permission
        self.envNames = envNames
        self.otherwise = otherwise
    }
}

/// Per-action-type rules with a default for the types a policy does not name. `notify` is not
/// in here: it changes nothing and is always allowed.
public struct ActionRules: Sendable, Equatable {
    public var rules: [ActionKind: ActionRule]
    /// For mutating action types without a rule. Denied unless the policy says otherwise.
    public var defaultPermission: Permission

    public init(_ rules: [ActionKind: ActionRule] = [:], default defaultPermission: Permission = .denied) {
        self.rules = rules
        self.defaultPermission = defaultPermission
    }

    /// The permission for `action`, with the sentence that explains a refusal or a request
    /// for approval.
    func permission(for action: Action) -> (Permission, String) {
        let kind = action.kind
        guard let rule = rules[kind] else {
            return (defaultPermission, "\(kind.rawValue) is not listed in actions, so actions.default applies (\(defaultPermission.rawValue))")
        }
        if let patterns = rule.envNames, let names = action.descriptor.envNames {
            let outside = names.filter { !patterns.anyMatches($0) }
            if !outside.isEmpty {
                return (rule.otherwise, "\(kind.rawValue) of \(outside.joined(separator: ", ")) is outside actions.\(kind.rawValue).envNames (\(patterns.listed)), so otherwise applies (\(rule.otherwise.rawValue))")
            }
        }
        return (rule.permission, "actions.\(kind.rawValue) is \(rule.permission.rawValue)")
    }
}
