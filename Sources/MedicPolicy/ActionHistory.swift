import Foundation
import MedicKube
import MedicRemediation

/// The actions medic started recently, and which of them have no outcome yet. Rate limits,
/// cooldowns and the concurrency limit are counted from it; after a restart it is rebuilt from
/// the audit log, so a crash cannot reset a cooldown or hide an action still in flight.
public struct ActionHistory: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var actionID: String
        public var target: ObjectRef
        public var kind: ActionKind
        public var started: Date
        /// nil while in flight: the request may or may not have reached the cluster.
        public var finished: Date?

        public init(actionID: String, target: ObjectRef, kind: ActionKind, started: Date, finished: Date? = nil) {
            self.actionID = actionID
            self.target = target
            self.kind = kind
            self.started = started
            self.finished = finished
        }

        public var isInFlight: Bool { finished == nil }
    }

    public private(set) var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    public mutating func recordStart(actionID: String, target: ObjectRef, kind: ActionKind, at time: Date) {
        entries.append(Entry(actionID: actionID, target: target, kind: kind, started: time))
    }

    /// Marks the action finished; an unknown id is ignored (its start fell outside the history).
    public mutating func recordFinish(actionID: String, at time: Date) {
        guard let index = entries.lastIndex(where: { $0.actionID == actionID && $0.isInFlight }) else { return }
        entries[index].finished = time
    }

    public var inFlight: [Entry] { entries.filter(\.isInFlight) }

    /// Actions started at or after `since`, on `target` or on any target.
    public func startedCount(since: Date, on target: ObjectRef? = nil) -> Int {
        entries.filter { $0.started >= since && (target == nil || $0.target == target) }.count
    }

    public func lastStart(on target: ObjectRef) -> Date? {
        entries.filter { $0.target == target }.map(\.started).max()
    }
}
