import Foundation
import MedicAudit
import MedicKube
import MedicPolicy
import MedicProm
import MedicRunbook

/// Everything a `Reconciler` works with, chosen once by whoever starts it (`medic run`, a test).
/// The writer is optional on purpose: without one the reconciler can only advise, whatever the
/// policy or the requested mode say.
public struct ReconcilerConfiguration: Sendable {
    public var reader: KubeReader
    /// nil: advise mode by construction.
    public var writer: KubeWriter?
    /// nil: every metric condition is unknown (reported in `PassReport.unknown`).
    public var prometheus: PrometheusClient?
    public var runbooks: [Runbook]
    public var policy: Policy
    /// `--mode`: may lower the policy's mode, never raise it (`Policy.effectiveMode`).
    public var requestedMode: Mode?
    public var audit: AuditLog
    /// Where each action's records also go, as a Remediation object; nil when the cluster does
    /// not serve the CRD (the audit log is then medic's only memory).
    public var remediations: RemediationStore?
    /// nil: no Events are created.
    public var events: EventRecorder?
    public var clock: @Sendable () -> Date
    public var verification: VerificationSettings
    /// How long a proposal can be approved after it was made.
    public var approvalTTL: TimeInterval
    /// Who this reconciler is (pod name, host): named in escalations and approvals it records.
    public var identity: String
    /// Only this namespace, when set.
    public var namespace: String?
    /// The watched cache the pass reads the cluster from (`medic run`); nil: a round of LISTs
    /// each pass (`--once`, tests). Built for the same namespace.
    public var informer: ClusterInformer?
    /// With `informer`: how often a pass asks Prometheus and diagnoses every target (`medic
    /// run --interval`); the passes a change starts in between diagnose what it touched.
    public var sweepInterval: TimeInterval = 30
    /// Asked before every write: requests through `writer` and `events`, audit appends. nil
    /// without leader election. Set per pass, since each pass runs under its own term.
    public var fence: (any WriteFence)? {
        didSet {
            writer?.fence = fence
            events?.writer.fence = fence
        }
    }

    public init(reader: KubeReader, writer: KubeWriter?, prometheus: PrometheusClient? = nil, runbooks: [Runbook],
                policy: Policy, requestedMode: Mode? = nil, audit: AuditLog, events: EventRecorder? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }, verification: VerificationSettings = VerificationSettings(),
                approvalTTL: TimeInterval = Approvals.defaultTTL, identity: String, namespace: String? = nil,
                remediations: RemediationStore? = nil, informer: ClusterInformer? = nil) {
        self.reader = reader
        self.writer = writer
        self.prometheus = prometheus
        self.runbooks = runbooks
        self.policy = policy
        self.requestedMode = requestedMode
        self.audit = audit
        self.events = events
        self.clock = clock
        self.verification = verification
        self.approvalTTL = approvalTTL
        self.identity = identity
        self.namespace = namespace
        self.remediations = remediations
        self.informer = informer
    }
}

/// When an action counts as having worked, and when a fix that keeps being needed is a
/// problem for a human rather than for medic.
public struct VerificationSettings: Sendable, Equatable {
    /// How long the symptom may take to clear when the runbook has no `verify.within`.
    public var defaultWindow: TimeInterval
    /// After this many applied actions of one type by one runbook on one object within
    /// `flapWindow`, the next recurrence escalates to a human instead of acting again.
    public var flapLimit: Int
    public var flapWindow: TimeInterval

    public init(defaultWindow: TimeInterval = 600, flapLimit: Int = 3, flapWindow: TimeInterval = 3600) {
        self.defaultWindow = defaultWindow
        self.flapLimit = flapLimit
        self.flapWindow = flapWindow
    }
}
