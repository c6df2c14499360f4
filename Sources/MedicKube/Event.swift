import Foundation

/// A core/v1 Event: the kubelet's and controllers' running commentary (probe failures, pull
/// errors, back-offs), often the only place the cause is spelled out.
public struct Event: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    /// `Normal` or `Warning`.
    public var type: String?
    public var count: Int?
    public var firstTimestamp: Date?
    public var lastTimestamp: Date?
    /// A `MicroTime`; set only by newer reporters, `null` for legacy events.
    public var eventTime: Date?
    public var source: EventSource?
    public var action: String?
    public var reportingComponent: String?
    public var reportingInstance: String?
    /// Set by events.k8s.io reporters (the scheduler among them) for an event that repeats:
    /// `count` and `lastObservedTime` move here instead of `count` and `lastTimestamp`.
    public var series: EventSeries?

    public init(
        apiVersion: String? = "v1",
        kind: String? = "Event",
        metadata: ObjectMeta,
        involvedObject: ObjectReference,
        reason: String? = nil,
        message: String? = nil,
        type: String? = nil,
        count: Int? = nil,
        firstTimestamp: Date? = nil,
        lastTimestamp: Date? = nil,
        eventTime: Date? = nil,
        source: EventSource? = nil,
        action: String? = nil,
        reportingComponent: String? = nil,
        reportingInstance: String? = nil,
        series: EventSeries? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.eventTime = eventTime
        self.source = source
        self.action = action
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
        self.series = series
    }

    /// When it last happened: the series' last observation, else `lastTimestamp`, else
    /// `eventTime`, else `firstTimestamp`. A repeating scheduler event keeps its first
    /// `eventTime` and moves only `series.lastObservedTime`.
    public var lastSeen: Date? {
        series?.lastObservedTime ?? lastTimestamp ?? eventTime ?? firstTimestamp
    }

    /// How many times it happened: the series' count when it repeats, else `count`, else once.
    public var occurrences: Int {
        series?.count ?? count ?? 1
    }
}

/// Who reported the event (`kubelet` on a host, a controller).
public struct EventSource: Codable, Sendable, Hashable {
    public var component: String?
    public var host: String?

    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}

/// The repetition record of an events.k8s.io-style event.
public struct EventSeries: Codable, Sendable, Hashable {
    public var count: Int?
    public var lastObservedTime: Date?

    public init(count: Int? = nil, lastObservedTime: Date? = nil) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}
