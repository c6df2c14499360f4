import Foundation
import MedicHTTP
import MedicKube
import MedicPolicy

/// One notification to one target as an HTTP request, and what the receiver's answer means
/// for retrying. Credentials are resolved here, at each use, and never enter a log line or
/// an error: errors name the target and where its credential comes from.
struct NotificationDelivery: Sendable {
    var notification: Notice
    var target: NotificationTarget
    /// Notifications to this target the rate limit held back since the last one sent.
    var heldBack: Int

    enum Answer: Sendable, Equatable {
        case delivered(status: Int)
        /// The receiver refused this body (a 4xx other than 429): sending it again would not help.
        case rejected(String)
        /// Worth another attempt (a 5xx, a 429, no connection), after `after` when the receiver said.
        case retryable(String, after: Duration?)
    }

    /// False when the target's service has no use for the notice (a proposal to PagerDuty):
    /// it is then neither queued nor counted against the rate limit.
    static func takes(_ notice: Notice, _ service: NotificationTarget.Service) -> Bool {
        if case .pagerDuty = service { return PagerDutyEvent.action(for: notice) != nil }
        return true
    }

    /// The request, or nil when this service takes nothing for this event.
    func request(environment: [String: String]) throws(SecretValue.Unavailable) -> HTTPRequest? {
        var headers = ["Content-Type": "application/json"]
        let url: String, body: JSON
        switch target.service {
        case .slack(let secret):
            url = try secret.resolve(environment: environment)
            body = SlackMessage.body(notification, heldBack: heldBack)
        case .webhook(let secret, let token):
            url = try secret.resolve(environment: environment)
            if let token { headers["Authorization"] = "Bearer " + (try token.resolve(environment: environment)) }
            body = WebhookMessage.body(notification, heldBack: heldBack)
        case .pagerDuty(let key, let endpoint):
            guard let event = PagerDutyEvent.body(notification, routingKey: try key.resolve(environment: environment), heldBack: heldBack)
            else { return nil }
            url = endpoint
            body = event
        }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: body.serialized(), timeout: .seconds(10))
    }

    static func answer(_ response: HTTPResponse) -> Answer {
        let text = Redaction.redact(String(decoding: response.body.prefix(300), as: UTF8.self))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 200..<300:
            return .delivered(status: response.status)
        case 429:
            let after = response.headers.first { $0.key.lowercased() == "retry-after" }.flatMap { Double($0.value.trimmingCharacters(in: .whitespaces)) }
            return .retryable("HTTP 429 (rate limited) \(text)", after: after.map { .seconds(min(max($0, 0), 60)) })
        case 400..<500:
            return .rejected("HTTP \(response.status) \(text)")
        default:
            return .retryable("HTTP \(response.status) \(text)", after: nil)
        }
    }
}
