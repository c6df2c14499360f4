import Foundation
import MedicAudit
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicRemediation

/// Everything one reconcile pass saw, decided and did: what the loop logs and counts, and
/// what tests assert on. Every entry names its action id, so it can be found in the audit log.
public struct PassReport: Sendable {
    /// When the cluster was observed (the pass's clock at the start).
    public var observationTime: Date
    public var duration: Duration = .zero
    public var mode: Mode
    public var findings: [Finding] = []
    public var decisions: [DecisionEntry] = []
    public var executions: [ExecutionEntry] = []
    public var verifications: [VerificationEntry] = []
    public var rollbacks: [RollbackEntry] = []
    /// Runbooks that could not be decided for a target (Prometheus down, missing series).
    public var unknown: [UndecidedCheck] = []
    /// Incidents this pass opened (a finding medic had not recorded before), by finding id.
    public var opened: [OpenedIncident] = []
    /// medic's answer to each alert that fired since the last pass.
    public var alerts: [AlertDiagnosis] = []
    /// Alerts resolved since the last pass, and the incidents that closes.
    public var closedAlerts: [AlertClosure] = []
    /// What went wrong without stopping the pass (an Event not created, a metric query failing)
    /// or that stopped it (the cluster could not be read).
    public var errors: [PassError] = []
    /// What the observation could not read without stopping, one line per kind with a count.
    public var warnings: [String] = []
    /// The targets the runbooks were evaluated on this pass (a pass a change starts: those it
    /// touched; a sweep: those whose results the clock can change; a full pass: all).
    public var diagnosed = 0

    public init(observationTime: Date, mode: Mode) {
        self.observationTime = observationTime
        self.mode = mode
    }

    /// The gate's (or the act stage's own) say on one proposed action this pass.
    public struct DecisionEntry: Sendable, Equatable {
        public enum Verdict: String, Sendable {
            case allowed, capped, denied
            case needsApproval = "needs-approval"
            /// Approved by a human (`medic approve` or the annotation) and so executed.
            case approved
            /// Not decided again: an earlier action with this identity is in flight, waiting for
            /// verification, already done in dry-run, deferred after a 429, or the target needs a human.
            case blocked
            /// The target now needs a human (a fault that keeps coming back).
            case escalated
        }

        public var actionID: String
        public var identity: ActionIdentity
        /// The incident it was decided for (nil while it waits for a cause).
        public var incident: String?
        public var verdict: Verdict
        public var reasons: [String]
        /// The command that would be (or was) sent: capped when capped.
        public var command: String?
        /// What comes next for it.
        public var outcome: ActionOutcome
        /// True when this pass recorded the decision: it is new or changed, not a repeat.
        public var recorded: Bool = false
    }

    public struct OpenedIncident: Sendable, Equatable {
        public var incident: String
        public var findingID: String
    }

    /// What comes next for one proposed action after a pass, as controller-runtime's `Result`
    /// says what comes next for an object: one value, never a flag plus a duration.
    public enum ActionOutcome: Sendable, Equatable {
        /// Nothing more to do: denied, only shown (advise, notify), accepted by a dry run, or
        /// already in place.
        case done
        /// Sent: its finding is checked each pass until this long after it was sent.
        case verifyAfter(TimeInterval)
        /// Not now: decided again at this time (a 429), or in the next pass when nil (a conflict,
        /// an earlier action not settled yet).
        case retryAfter(Date?)
        /// Waits for a human: an approval, or an escalation of its target.
        case needsHuman
        /// The server refused it, or it could not be sent.
        case failed(String)
    }

    public struct ExecutionEntry: Sendable, Equatable {
        public var actionID: String
        public var incident: String
        public var remediation: Remediation
        public var result: ExecutionResult
    }

    public struct VerificationEntry: Sendable, Equatable {
        public enum State: String, Sendable {
            /// The symptom cleared: the incident is closed.
            case passed
            /// Still present within the window: checked again next pass.
            case pending
            /// Still present (or unknown) when the window closed.
            case failed
        }

        public var actionID: String
        public var incident: String
        public var target: ObjectRef
        public var state: State
        public var detail: String
    }

    public struct RollbackEntry: Sendable, Equatable {
        public var actionID: String
        public var target: ObjectRef
        public var result: RollbackResult
    }
}
