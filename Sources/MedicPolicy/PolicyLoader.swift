import Foundation
import MedicKube
import MedicRemediation
import MedicRunbook

/// Reads policy files as strictly as runbooks: unknown fields, misspelt choices and
/// impossible values are errors at `file:line:col`, because a policy typo that is silently
/// ignored would widen what medic may do. Defaults are applied here and nowhere else.
public enum PolicyLoader {
    public static func loadFile(_ url: URL) throws(LoadError) -> Policy {
        try parse(YAMLFile.read(url.path, expected: YAMLFile.policyFile), file: url.path)
    }

    public static func parse(_ text: String, file: String) throws(LoadError) -> Policy {
        let top = try YAMLNode.parse(text, file: file).mapping(allowed: ["apiVersion", "kind", "metadata", "spec"])
        try top.checkHeader(kind: "Policy")
        let metadata = try top.required("metadata").mapping(allowed: ["name", "description"])
        let nameNode = try metadata.required("name")
        let name = try nameNode.string()
        guard name.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil else {
            throw nameNode.error("a policy name is lowercase letters, digits and '-', like 'production'")
        }
        _ = try metadata["description"]?.string()

        let spec = try top.required("spec").mapping(allowed: [
            "mode", "namespaces", "actions", "rateLimits", "cooldown", "maxConcurrent", "inFlightExpiry", "remediationRetention", "freezes", "caps", "optOut",
            "chaos", "entrypoints", "gitops", "notifications",
        ])
        var policy = Policy(name: name)
        policy.mode = Mode(rawValue: try spec.required("mode").oneOf(Mode.allCases.map(\.rawValue)))!
        if let node = spec["namespaces"] { policy.namespaces = try namespaces(node) }
        if let node = spec["actions"] { policy.actions = try actions(node) }
        if let node = spec["rateLimits"] {
            let limits = try node.mapping(allowed: ["global", "perTarget"])
            policy.globalRateLimit = try limits["global"].map { node throws(LoadError) in try rateLimit(node) }
            policy.targetRateLimit = try limits["perTarget"].map { node throws(LoadError) in try rateLimit(node) }
        }
        policy.cooldown = try spec["cooldown"]?.duration()
        policy.maxConcurrent = try spec["maxConcurrent"].map { node throws(LoadError) in try atLeast(1, node) }
        if let node = spec["inFlightExpiry"] { policy.inFlightExpiry = try node.duration() }
        if let node = spec["remediationRetention"] { policy.remediationRetention = try node.duration() }
        if let node = spec["freezes"] {
            policy.freezes = []
            for item in try node.list() { policy.freezes.append(try freeze(item)) }
        }
        if let node = spec["caps"] { policy.caps = try caps(node) }
        if let node = spec["optOut"] { policy.optOut = try labelMatch(node) }
        if let node = spec["chaos"] { policy.chaos = try labelMatch(node) }
        policy.entryPoints = try (spec["entrypoints"]?.list() ?? []).map { node throws(LoadError) in
            let parts = try node.string().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw node.error("an entry point is a Service as namespace/name, like 'shop/frontend'")
            }
            return ObjectRef(kind: "Service", namespace: parts[0], name: parts[1])
        }
        if let node = spec["gitops"] { try gitops(node, into: &policy) }
        if let node = spec["notifications"] { policy.notifications = try notifications(node) }
        return policy
    }

    /// `gitops: suspend`, or `gitops: {mode: suspend, argoCDNamespace: gitops}` when Argo CD
    /// runs outside `argocd`.
    private static func gitops(_ node: YAMLNode, into policy: inout Policy) throws(LoadError) {
        let modes = Policy.GitOpsMode.allCases.map(\.rawValue)
        guard case .mapping = node.content else {
            policy.gitops = Policy.GitOpsMode(rawValue: try node.oneOf(modes))!
            return
        }
        let mapping = try node.mapping(allowed: ["mode", "argoCDNamespace"])
        policy.gitops = Policy.GitOpsMode(rawValue: try mapping.required("mode").oneOf(modes))!
        if let namespaceNode = mapping["argoCDNamespace"] {
            let namespace = try namespaceNode.string()
            guard namespace.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil else {
                throw namespaceNode.error("a namespace is lowercase letters, digits and '-', like 'argocd'")
            }
            policy.argoCDNamespace = namespace
        }
    }

    private static func notifications(_ node: YAMLNode) throws(LoadError) -> [NotificationTarget] {
        var targets: [NotificationTarget] = []
        for item in try node.list() {
            let target = try notificationTarget(item)
            if targets.contains(where: { $0.name == target.name }) {
                throw try item.mapping(allowed: nil).required("name").error("another notification target is already named '\(target.name)'")
            }
            targets.append(target)
        }
        return targets
    }

    private static func notificationTarget(_ node: YAMLNode) throws(LoadError) -> NotificationTarget {
        let services = ["slack", "webhook", "pagerduty"]
        let mapping = try node.mapping(allowed: ["name"] + services + ["events", "severities", "namespaces", "rateLimit", "retries"])
        let nameNode = try mapping.required("name")
        let name = try nameNode.string()
        guard name.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil else {
            throw nameNode.error("a notification target's name is lowercase letters, digits and '-', like 'oncall-slack'")
        }
        let given = services.filter { mapping[$0] != nil }
        guard given.count == 1 else {
            throw (given.count > 1 ? mapping[given[1]]! : node).error("a notification target is exactly one of slack, webhook or pagerduty")
        }
        let serviceNode = mapping[given[0]]!
        let service: NotificationTarget.Service
        switch given[0] {
        case "slack":
            let fields = try serviceNode.mapping(allowed: ["url"])
            service = .slack(url: try secret(try fields.required("url"), url: true))
        case "webhook":
            let fields = try serviceNode.mapping(allowed: ["url", "bearerToken"])
            service = .webhook(url: try secret(try fields.required("url"), url: true),
                               bearerToken: try fields["bearerToken"].map { node throws(LoadError) in try secret(node, url: false) })
        default:
            let fields = try serviceNode.mapping(allowed: ["routingKey", "url"])
            let url = try fields["url"].map { node throws(LoadError) in try httpURL(node, try node.string()) } ?? NotificationTarget.pagerDutyEventsURL
            service = .pagerDuty(routingKey: try secret(try fields.required("routingKey"), url: false), url: url)
        }
        var target = NotificationTarget(name: name, service: service)
        if let events = mapping["events"] {
            let items = try events.list()
            guard !items.isEmpty else { throw events.error("list at least one event, or leave events out for all of them") }
            target.events = []
            for item in items {
                target.events.insert(NotificationEvent(rawValue: try item.oneOf(NotificationEvent.allCases.map(\.rawValue)))!)
            }
        }
        if let severities = mapping["severities"] {
            let items = try severities.list()
            guard !items.isEmpty else { throw severities.error("list at least one severity, or leave severities out for all of them") }
            target.severities = []
            for item in items {
                target.severities.insert(Runbook.Severity(rawValue: try item.oneOf(Runbook.Severity.allCases.map(\.rawValue)))!)
            }
        }
        if let scope = mapping["namespaces"] {
            // Unlike acting, telling people about kube-system is harmless: nothing is excluded unless listed.
            let fields = try scope.mapping(allowed: ["include", "exclude"])
            target.namespaces = NamespaceScope(include: try fields["include"].map { node throws(LoadError) in try globs(node) } ?? [Glob("*")],
                                               exclude: try fields["exclude"].map { node throws(LoadError) in try globs(node, allowEmpty: true) } ?? [])
        }
        if let limit = mapping["rateLimit"] { target.rateLimit = try rateLimit(limit) }
        if let retries = mapping["retries"] {
            target.retries = try atLeast(0, retries)
            guard target.retries <= 10 else { throw retries.error("at most 10 retries: a receiver down for longer should not hold medic's queue") }
        }
        return target
    }

    /// A credential as `{env: NAME}`, `{file: PATH}` or, where it is no secret, a plain string.
    private static func secret(_ node: YAMLNode, url: Bool) throws(LoadError) -> SecretValue {
        if case .scalar = node.content {
            let text = try node.string()
            if url { _ = try httpURL(node, text) }
            guard !text.isEmpty else { throw node.error("expected a value, {env: NAME} or {file: PATH}") }
            return .literal(text)
        }
        let fields = try node.mapping(allowed: ["env", "file"])
        if let env = fields["env"] {
            guard fields["file"] == nil else { throw env.error("give env or file, not both") }
            let name = try env.string()
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                throw env.error("'\(name)' is not an environment variable name")
            }
            return .environment(name)
        }
        guard let file = fields["file"] else { throw node.error("expected {env: NAME} or {file: PATH}") }
        let path = try file.string()
        guard path.hasPrefix("/") else { throw file.error("give the file as an absolute path, like /var/run/secrets/medic/slack-url") }
        return .file(path)
    }

    private static func httpURL(_ node: YAMLNode, _ text: String) throws(LoadError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw node.error("expected an http or https URL, or {env: NAME} / {file: PATH} holding one")
        }
        return text
    }

    private static func namespaces(_ node: YAMLNode) throws(LoadError) -> NamespaceScope {
        let mapping = try node.mapping(allowed: ["include", "exclude"])
        var scope = NamespaceScope()
        if let include = mapping["include"] { scope.include = try globs(include) }
        if let exclude = mapping["exclude"] { scope.exclude = try globs(exclude, allowEmpty: true) }
        return scope
    }

    private static func actions(_ node: YAMLNode) throws(LoadError) -> ActionRules {
        let kinds = ActionKind.allCases.map(\.rawValue)
        let mapping = try node.mapping(allowed: ["default"] + kinds)
        var rules = ActionRules()
        if let node = mapping["default"] {
            rules.defaultPermission = try permission(node)
        }
        for key in mapping.keys where key != "default" {
            let value = mapping[key]!
            let kind = ActionKind(rawValue: key)!
            if kind == .notify {
                guard case .scalar = value.content, try value.string() == Permission.allowed.rawValue else {
                    throw value.error("notify is always allowed: it changes nothing, so a policy can neither deny it nor ask approval for it")
                }
                continue
            }
            rules.rules[kind] = try rule(value, kind: kind)
        }
        return rules
    }

    private static func rule(_ node: YAMLNode, kind: ActionKind) throws(LoadError) -> ActionRule {
        if case .scalar = node.content { return ActionRule(try permission(node)) }
        let mapping = try node.mapping(allowed: ["permission", "envNames", "otherwise"])
        var rule = ActionRule(try permission(try mapping.required("permission")))
        if let names = mapping["envNames"] {
            guard kind.descriptor.envNamesParameter != nil else {
                let kinds = ActionKind.allCases.filter { $0.descriptor.envNamesParameter != nil }.map(\.rawValue)
                throw names.error("envNames applies only to \(kinds.joined(separator: " and "))")
            }
            rule.envNames = try globs(names)
        }
        if let otherwise = mapping["otherwise"] {
            guard rule.envNames != nil else {
                throw otherwise.error("otherwise needs envNames: it is the permission for variables outside them")
            }
            rule.otherwise = try permission(otherwise)
        }
        return rule
    }

    private static func permission(_ node: YAMLNode) throws(LoadError) -> Permission {
        Permission(rawValue: try node.oneOf(Permission.allCases.map(\.rawValue)))!
    }

    private static func rateLimit(_ node: YAMLNode) throws(LoadError) -> RateLimit {
        let mapping = try node.mapping(allowed: ["max", "window"])
        return RateLimit(max: try atLeast(1, try mapping.required("max")), window: try mapping.required("window").duration())
    }

    private static func freeze(_ node: YAMLNode) throws(LoadError) -> FreezeWindow {
        let mapping = try node.mapping(allowed: ["reason", "weekly", "start", "end"])
        let reason = try mapping.required("reason").string()
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw try mapping.required("reason").error("say why changes are frozen; the reason is shown with every refusal")
        }
        if let weekly = mapping["weekly"] {
            if let extra = mapping["start"] ?? mapping["end"] {
                throw extra.error("a freeze is either weekly or start/end, not both")
            }
            return FreezeWindow(try weeklySchedule(weekly), reason: reason)
        }
        guard mapping["start"] != nil || mapping["end"] != nil else {
            throw node.error("a freeze needs either weekly or start and end")
        }
        let startNode = try mapping.required("start"), endNode = try mapping.required("end")
        let start = try instant(startNode), end = try instant(endNode)
        guard start < end else { throw endNode.error("end must be after start") }
        return FreezeWindow(.absolute(start: start, end: end), reason: reason)
    }

    private static func weeklySchedule(_ node: YAMLNode) throws(LoadError) -> FreezeWindow.Schedule {
        let mapping = try node.mapping(allowed: ["days", "from", "to", "timeZone"])
        let daysNode = try mapping.required("days")
        var days: Set<Weekday> = []
        for day in try daysNode.list() {
            days.insert(Weekday(rawValue: try day.oneOf(Weekday.allCases.map(\.rawValue)))!)
        }
        guard !days.isEmpty else { throw daysNode.error("list at least one day (mon, tue, wed, thu, fri, sat, sun)") }
        let fromNode = try mapping.required("from"), toNode = try mapping.required("to")
        let from = try clock(fromNode), to = try clock(toNode)
        guard from != to else { throw toNode.error("from and to are the same time, so the window is empty") }
        var zone = TimeZone(identifier: "UTC")!
        if let zoneNode = mapping["timeZone"] {
            let name = try zoneNode.string()
            guard let named = TimeZone(identifier: name) else {
                throw zoneNode.error("unknown time zone '\(name)' (use an IANA name such as UTC or Europe/Berlin)")
            }
            zone = named
        }
        return .weekly(days: days, from: from, to: to, timeZone: zone)
    }

    /// `HH:MM` as minutes of the day; `24:00` is the end of the day.
    private static func clock(_ node: YAMLNode) throws(LoadError) -> Int {
        let text = try node.string()
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...59).contains(minutes), (0...23).contains(hours) || hours == 24 && minutes == 0
        else { throw node.error("expected a time of day as HH:MM (00:00 to 24:00), found '\(text)'") }
        return hours * 60 + minutes
    }

    private static func instant(_ node: YAMLNode) throws(LoadError) -> Date {
        let text = try node.string()
        guard let date = RFC3339.parse(text) else {
            throw node.error("expected an RFC 3339 time such as 2026-12-24T00:00:00Z, found '\(text)'")
        }
        return date
    }

    private static func caps(_ node: YAMLNode) throws(LoadError) -> Caps {
        let mapping = try node.mapping(allowed: ["maxReplicas", "maxScaleFactor", "maxMemoryLimit", "maxPoolSize", "poolSizeEnv", "onExceed"])
        var caps = Caps()
        caps.maxReplicas = try mapping["maxReplicas"].map { node throws(LoadError) in try atLeast(1, node) }
        if let node = mapping["maxScaleFactor"] {
            let factor = try node.double()
            guard factor >= 1 else { throw node.error("maxScaleFactor must be at least 1 (1 forbids scaling up), found \(try node.string())") }
            caps.maxScaleFactor = factor
        }
        if let node = mapping["maxMemoryLimit"] {
            let text = try node.string()
            let bytes: Int64
            do {
                bytes = try Quantity.bytes(text)
            } catch {
                throw node.error("\(error.description)")
            }
            guard bytes > 0 else { throw node.error("maxMemoryLimit must be more than 0") }
            caps.maxMemoryLimit = (text, bytes)
        }
        if let node = mapping["poolSizeEnv"] { caps.poolSizeEnv = try globs(node) }
        if let node = mapping["maxPoolSize"] {
            caps.maxPoolSize = try atLeast(1, node)
            guard mapping["poolSizeEnv"] != nil else {
                throw node.error("maxPoolSize needs poolSizeEnv: the env var names (globs such as '*_POOL_SIZE') that hold pool sizes")
            }
        } else if let node = mapping["poolSizeEnv"] {
            throw node.error("poolSizeEnv without maxPoolSize caps nothing; add maxPoolSize")
        }
        if let node = mapping["onExceed"] {
            caps.onExceed = Caps.OnExceed(rawValue: try node.oneOf(Caps.OnExceed.allCases.map(\.rawValue)))!
        }
        return caps
    }

    private static func labelMatch(_ node: YAMLNode) throws(LoadError) -> LabelMatch {
        let mapping = try node.mapping(allowed: ["key", "value"])
        let keyNode = try mapping.required("key")
        let key = try keyNode.string()
        guard !key.isEmpty, !key.contains(where: \.isWhitespace) else { throw keyNode.error("a label key cannot be empty or contain spaces") }
        return LabelMatch(key: key, value: try mapping.required("value").string())
    }

    private static func globs(_ node: YAMLNode, allowEmpty: Bool = false) throws(LoadError) -> [Glob] {
        let items = try node.list()
        if items.isEmpty, !allowEmpty { throw node.error("list at least one pattern") }
        var patterns: [Glob] = []
        for item in items {
            let text = try item.string()
            guard !text.isEmpty else { throw item.error("a pattern cannot be empty") }
            patterns.append(Glob(text))
        }
        return patterns
    }

    private static func atLeast(_ minimum: Int, _ node: YAMLNode) throws(LoadError) -> Int {
        let value = try node.int()
        guard value >= minimum else { throw node.error("must be at least \(minimum), found \(value)") }
        return value
    }
}
