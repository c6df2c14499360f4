import Foundation
import MedicRunbook

/// One place medic posts to (`notifications:` in a policy): a Slack channel's incoming webhook,
/// a JSON webhook, or a PagerDuty service, with the route that picks what it receives and how
/// much. Sending is `MedicNotify`'s; this is only what the policy says.
public struct NotificationTarget: Sendable, Equatable {
    public enum Service: Sendable, Equatable {
        case slack(url: SecretValue)
        /// The advise JSON contract, one event per request.
        case webhook(url: SecretValue, bearerToken: SecretValue?)
        /// Events API v2: `url` is the enqueue endpoint (PagerDuty's own unless a relay is named).
        case pagerDuty(routingKey: SecretValue, url: String)

        public var name: String {
            switch self {
            case .slack: "slack"
            case .webhook: "webhook"
            case .pagerDuty: "pagerduty"
            }
        }
    }

    public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"
    /// Enough for a busy incident, few enough that a flapping cluster cannot flood a channel.
    public static let defaultRateLimit = RateLimit(max: 30, window: 600)
    public static let defaultRetries = 3

    /// Unique within the policy: logs, metrics and errors name a target by it.
    public var name: String
    public var service: Service
    public var events: Set<NotificationEvent>
    public var severities: Set<Runbook.Severity>
    public var namespaces: NamespaceScope
    public var rateLimit: RateLimit
    /// Further attempts after a failed one (a 5xx, a 429, no connection); a 4xx is not retried.
    public var retries: Int

    public init(name: String, service: Service, events: Set<NotificationEvent> = Set(NotificationEvent.allCases),
                severities: Set<Runbook.Severity> = Set(Runbook.Severity.allCases),
                namespaces: NamespaceScope = NamespaceScope(include: [Glob("*")], exclude: []),
                rateLimit: RateLimit = NotificationTarget.defaultRateLimit, retries: Int = NotificationTarget.defaultRetries) {
        self.name = name
        self.service = service
        self.events = events
        self.severities = severities
        self.namespaces = namespaces
        self.rateLimit = rateLimit
        self.retries = retries
    }

    /// Why a credential this target needs cannot be read now (an unset variable, a missing
    /// file): said at startup and on reload, not first when an incident happens.
    public func unresolvableSecrets(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let secrets: [SecretValue] = switch service {
        case .slack(let url): [url]
        case .webhook(let url, let token): [url] + (token.map { [$0] } ?? [])
        case .pagerDuty(let key, _): [key]
        }
        return secrets.compactMap { secret -> String? in
            do throws(SecretValue.Unavailable) {
                _ = try secret.resolve(environment: environment)
                return nil
            } catch {
                return error.description
            }
        }
    }

    /// True when an `event` about something of `severity` in `namespace` goes here.
    public func routes(_ event: NotificationEvent, severity: Runbook.Severity, namespace: String) -> Bool {
        events.contains(event) && severities.contains(severity) && namespaces.allows(namespace)
    }
}

/// What medic tells people about, in the order an incident goes through them.
public enum NotificationEvent: String, Sendable, CaseIterable, Comparable {
    /// A new incident: its root cause, the evidence and the fix.
    case finding
    /// A fix that waits for a human's approval, with how to approve it.
    case proposal
    /// A fix sent to the cluster, or one the server refused.
    case action
    /// An action's verification: fixed, or not fixed in its window.
    case verification
    /// A target handed to a human: a fault that keeps coming back, a failed fix rolled back.
    case escalation
    /// An incident over: its finding no longer matches.
    case resolved

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
