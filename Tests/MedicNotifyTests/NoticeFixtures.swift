import Foundation
import MedicDiagnosis
import MedicKube
import MedicNotify
import MedicPolicy
import MedicRunbook

/// Notices as the controller builds them, with a secret planted where evidence quotes a pod's env.
enum NoticeFixtures {
    static let time = Date(timeIntervalSince1970: 1_796_270_400)  // 2026-12-03T04:00:00Z
    static let target = ObjectRef(kind: "Deployment", namespace: "production", name: "auth-service")
    static let plantedPassword = "hunter2-s3cr3t"
    static let routingKey = "R0UT1NGKEY0123456789abcdefABCDEF"

    static func notice(_ event: NotificationEvent, severity: Runbook.Severity = .critical, namespace: String = "production",
                       incident: String = "i3f29c1b7-1", result: String? = nil) -> Notice {
        Notice(event: event, incident: incident, severity: severity,
               target: ObjectRef(kind: target.kind, namespace: namespace, name: target.name), runbook: "oom-killed", time: time,
               headline: "auth-service was OOMKilled 3 times in 10m: memory limit 128Mi < working set <needs> & more",
               evidence: ["container auth: lastState.terminated.reason=OOMKilled (exit 137)",
                          "env DATABASE_URL=postgres://auth:\(plantedPassword)@db:5432/auth"],
               symptoms: event == .finding ? ["probe-timeout on Deployment/production/gateway: readiness probe failing"] : [],
               command: "kubectl set resources deployment/auth-service -n production -c auth --limits=memory=256Mi",
               actionID: event == .finding ? nil : "3f29c1b7-1",
               approval: event == .proposal ? ["medic approve 3f29c1b7-1"] : [], result: result,
               finding: event == .finding ? finding : nil)
    }

    static let finding = Finding(runbook: "oom-killed", severity: .critical, target: target,
                                 summary: "auth-service was OOMKilled 3 times in 10m", evidence: ["lastState.terminated.reason=OOMKilled"],
                                 actions: [], conditions: [])

    static func targets(_ receiver: ReceiverProcess, rateLimit: RateLimit = NotificationTarget.defaultRateLimit,
                        retries: Int = 2) -> [NotificationTarget] {
        [
            NotificationTarget(name: "oncall-slack", service: .slack(url: .literal(receiver.url("/slack"))), rateLimit: rateLimit, retries: retries),
            NotificationTarget(name: "pager", service: .pagerDuty(routingKey: .environment("PD_KEY"), url: receiver.url("/pagerduty/v2/enqueue")),
                               rateLimit: rateLimit, retries: retries),
            NotificationTarget(name: "chatops", service: .webhook(url: .literal(receiver.url("/webhook")), bearerToken: .environment("HOOK_TOKEN")),
                               rateLimit: rateLimit, retries: retries),
        ]
    }
}
