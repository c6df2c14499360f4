import Foundation
import MedicAudit
import MedicDiagnosis
import MedicKube

/// What the act stage decided for each finding at the last pass over a watched cache, so that
/// a pass woken by a change decides again only the findings that change could alter: on a
/// busy cluster most passes follow changes to a few objects while hundreds of findings stand.
///
/// A finding's decisions are a function of the finding, the causes it waits for, the ledger's
/// records about the objects its actions touch, those objects and their namespaces as the view
/// holds them, the policy, and the clock. So a kept decision is reused only when:
/// - the finding is equal to the one decided, with the same open causes and the same recent fix;
/// - the ledger's mark for the finding's target and its actions' objects has not moved
///   (`ActionLedger.mark(of:)`);
/// - no watched change since the read the decision was made on reached those objects or their
///   namespaces, the changes are known (not a relist), and the Namespaces (whose labels the
///   policy reads, and which a namespaced medic lists each pass instead of watching) are as they were;
/// - the decision recorded nothing, sent nothing, and read nothing else: not the API server
///   (an approval on a Remediation object, the request an approval binds to, a GitOps sync),
///   not a 429's deferral.
///
/// The clock is honoured as on a quiet cluster, whose passes come every `--interval`: the whole
/// memo is dropped once it is `maxAge` old, so a freeze window's edge, a rate limit's window or
/// a proposal's expiry is decided at most that late.
struct DecisionMemo: Sendable {
    struct Entry: Sendable {
        var finding: Finding
        var causes: [String]
        var fixed: String?
        /// `objects(of: finding)`, and the ledger's mark for them and its record count when
        /// the decisions were made: while no record comes, the mark is not even looked up.
        var objects: [ObjectRef]
        var mark: Int
        var recordsTaken: Int
        var decisions: [PassReport.DecisionEntry]
    }

    /// The informer read the decisions were made on: only that read's successor may reuse them.
    let read: Int
    /// When every finding was last decided afresh.
    let since: Date
    /// The Namespaces the decisions were made with.
    let namespaces: [String: Namespace]
    private(set) var entries: [String: Entry] = [:]
    /// Entries from the last pass, each checked by `decisions(for:...)` before it is reused.
    private var previous: [String: Entry] = [:]

    private init(read: Int, since: Date, namespaces: [String: Namespace], carrying previous: [String: Entry] = [:]) {
        self.read = read
        self.since = since
        self.namespaces = namespaces
        self.previous = previous
        // Most entries are kept again: grown at once, not rehashed as they come.
        entries.reserveCapacity(previous.count)
    }

    /// The memo a pass over `observation` starts from: this one, when it was made on the read
    /// before and is younger than `maxAge`; otherwise an empty one that decides everything.
    /// nil without a watched cache.
    static func start(from kept: DecisionMemo?, for observation: Observation, at now: Date, maxAge: TimeInterval) -> DecisionMemo? {
        guard let reads = observation.reads else { return nil }
        let namespaces = observation.view.namespaces
        if let kept, kept.read == reads.since, observation.changes?.everything == false,
           now >= kept.since, now.timeIntervalSince(kept.since) < maxAge, kept.namespaces == namespaces {
            return DecisionMemo(read: reads.read, since: kept.since, namespaces: namespaces, carrying: kept.entries)
        }
        return DecisionMemo(read: reads.read, since: now, namespaces: namespaces)
    }

    /// The objects a finding's decisions read: its target and each action's target and live object.
    private static func objects(of finding: Finding) -> [ObjectRef] {
        [finding.target] + finding.actions.flatMap { [$0.remediation.target, $0.remediation.liveObject] }
    }

    /// The decisions kept for `finding`, when they still hold (and then kept for the next pass).
    /// `ledger`: as the act stage reads it before deciding `finding`.
    mutating func decisions(for finding: Finding, causes: [String], fixed: String?, ledger: ActionLedger,
                            changes: ClusterChanges?) -> [PassReport.DecisionEntry]? {
        guard let changes, var entry = previous[finding.id], entry.causes == causes, entry.fixed == fixed else { return nil }
        if entry.recordsTaken != ledger.recordsTaken {
            guard ledger.mark(of: entry.objects) == entry.mark else { return nil }
            entry.recordsTaken = ledger.recordsTaken
        }
        guard entry.finding == finding else { return nil }
        for object in entry.objects where changes.objects.contains(object) || changes.namespaces.contains(object.namespace) {
            return nil
        }
        entries[finding.id] = entry
        return entry.decisions
    }

    /// Keeps what was decided for `finding` this pass, when it can be reused (see above).
    /// `ledger`: as the act stage read it before deciding.
    mutating func keep(_ finding: Finding, causes: [String], fixed: String?, ledger: ActionLedger, proposals: [ActStage.Proposal]) {
        guard proposals.allSatisfy(\.keepable) else { return }
        let objects = Self.objects(of: finding)
        entries[finding.id] = Entry(finding: finding, causes: causes, fixed: fixed, objects: objects, mark: ledger.mark(of: objects),
                                    recordsTaken: ledger.recordsTaken, decisions: proposals.map(\.decision))
    }
}

/// Where the reconciler keeps the act stage's memo between passes.
actor DecisionMemory {
    private var memo: DecisionMemo?

    /// The memo, taken out: a pass that fails before keeping a new one leaves none behind.
    func take() -> DecisionMemo? { memo.take() }

    func keep(_ memo: DecisionMemo) { self.memo = memo }
}
