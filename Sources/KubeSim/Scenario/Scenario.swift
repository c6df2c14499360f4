import Foundation
import MedicKube

/// A live incident for KubeSim to play: how each app behaves, which images the registry has,
/// the load the users put on it, and the changes that led to the incident.
///
/// The story starts `history` before KubeSim serves: the timeline and the load are simulated
/// from then on, fast, so pods have restart counts, Events and metrics history (for
/// Prometheus to backfill) the moment the server comes up, as a real cluster paged at 3 AM has.
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var description: String
    /// How long the story ran before KubeSim starts serving.
    public var history: TimeInterval
    /// Images the simulated registry can pull (`repository:tag`); any other image is not found.
    public var registry: Set<String>
    public var load: [Load]
    public var apps: [AppBehaviour]
    public var timeline: [TimelineStep]
    /// The cluster's nodes; empty: the one standard node `kube-sim` (`ClusterNode.standard`).
    public var nodes: [ClusterNode] = []

    /// The app that runs in a container with this image: the repository decides, not the tag.
    public func app(forImage image: String) -> AppBehaviour? {
        let repository = Self.repository(of: image)
        return apps.first { $0.image == repository }
    }

    /// `registry.example/team/app:1.2` → `registry.example/team/app`; digests are cut too.
    public static func repository(of image: String) -> String {
        var name = image
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") { name = String(name[..<colon]) }
        return name
    }
}

/// Users calling one URL through the cluster's Services.
public struct Load: Sendable, Equatable {
    public var name: String
    /// `http://<service>.<namespace>[:port]/<path>`: resolved through the Service, its
    /// Endpoints and the pods' behaviour, as a request through the cluster network would be.
    public var url: String
    public var method: String
    /// Requests per second at the start of the story.
    public var rate: Double
    /// Rate changes at points of the story (since its start), each multiplying the base rate.
    public var changes: [RateChange]

    public struct RateChange: Sendable, Equatable {
        public var after: TimeInterval
        public var factor: Double
    }

    /// The request rate `elapsed` seconds into the story.
    public func rate(at elapsed: TimeInterval) -> Double {
        let factor = changes.last { $0.after <= elapsed }?.factor ?? 1
        return rate * factor
    }
}

/// How the code in one image behaves: what it listens on and needs, what a request costs it,
/// what it calls, and the faults it can have.
public struct AppBehaviour: Sendable, Equatable {
    /// Image repository without tag: every tag runs the same code.
    public var image: String
    /// Ports the process opens once started; probes and Service traffic to others are refused.
    public var listens: [Int]
    /// Variables without which the process exits at start (exit code 1), logging `crashLog`.
    public var requiredEnv: [String]
    /// The line the process logs before exiting for a missing variable; `$(NAME)` is the variable.
    public var crashLog: String
    /// Time from container start until the ports listen.
    public var startup: TimeInterval
    /// Working set when idle, and when serving its share of the load.
    public var memoryIdle: Int64
    public var memoryUnderLoad: Int64
    /// CPU seconds one request costs.
    public var cpuPerRequest: Double
    /// Its own service time per request, without queueing and without the calls it makes.
    public var latency: TimeInterval
    /// Calls every request makes, in order; the request fails when one fails.
    public var calls: [Call]
    public var pool: ConnectionPool?
    public var chaos: Chaos?
    /// The HTTP status each path answers (probes); nil: every path answers 200, others 404.
    public var paths: [String: Int]? = nil
    /// Executables the image has; a container `command` naming another fails to start
    /// (StartError). nil: every command runs.
    public var binaries: [String]? = nil
    /// The process ends by itself (a job, an init container); nil: it runs until killed.
    public var exit: Exit? = nil

    /// A process that ends on its own: `after` its start, with `code`, having logged `log`.
    public struct Exit: Sendable, Equatable {
        public var after: TimeInterval
        public var code: Int64
        public var log: String
    }

    /// A call to a dependency. `url` may use `$(VAR)` for the container's environment
    /// (`$(DATABASE_URL)/query`); its host is a Service of the pod's namespace
    /// (`name`, `name.namespace`, or `name.namespace.svc.cluster.local`).
    public struct Call: Sendable, Equatable {
        public var url: String
        /// What the client does when the call fails; nil: it gives up at once.
        public var retries: Retries? = nil
    }

    /// A client's retry policy for one call: after an attempt that fails (5xx, no connection)
    /// or outlasts `timeout`, up to `count` more attempts, each after the backoff's wait. Every
    /// attempt reaches the dependency, so retries without a budget multiply its load when it fails.
    public struct Retries: Sendable, Equatable {
        public enum Backoff: String, Sendable, CaseIterable {
            /// Retried at once: the retries land on the dependency with the failure.
            case none
            /// `delay` before every retry.
            case fixed
            /// `delay`, then twice that, four times…
            case exponential
        }

        public var count: Int
        /// The variable that sets the count, when it holds a whole number: a timeline step can
        /// switch retries on by setting it.
        public var countEnv: String?
        public var backoff: Backoff
        public var delay: TimeInterval
        /// An attempt slower than this is abandoned, seen by the client as 504; nil: it waits.
        public var timeout: TimeInterval?

        /// Retries the container's environment asks for.
        public func count(env: [String: String]) -> Int {
            countEnv.flatMap { env[$0] }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil }
                ?? count
        }

        /// The wait before retry number `retry` (1 for the first).
        public func wait(before retry: Int) -> TimeInterval {
            switch backoff {
            case .none: 0
            case .fixed: delay
            case .exponential: delay * pow(2, Double(retry - 1))
            }
        }
    }

    /// A database connection pool: each request holds a connection for `hold`.
    public struct ConnectionPool: Sendable, Equatable {
        /// The variable that sets the size; `size` when it is absent or not a number.
        public var sizeEnv: String?
        public var size: Int
        public var hold: TimeInterval
        /// Connections never returned, per minute since the container started (a leak).
        public var leakPerMinute: Double
    }

    /// A fault-injection switch: the variable's value is the share of requests answered 500
    /// (`0.5`), or `true`/`on` for all of them.
    public struct Chaos: Sendable, Equatable {
        public var env: String
    }
}

/// Objects applied at one point of the story, as `kubectl apply` would: created, or their
/// spec, labels and annotations replaced (a Deployment rolls out a new revision).
public struct TimelineStep: Sendable, Equatable {
    public var after: TimeInterval
    public var apply: [JSON]
}

/// What one pod serves and spends during a step of the simulation: the traffic model's answer,
/// the kubelet's input (memory under load, liveness probes timing out when the CPU is saturated).
public struct PodLoad: Sendable, Equatable {
    public var requestsPerSecond: Double
    /// CPU cores the pod's containers would use if nothing limited them.
    public var cpuDemand: Double
    /// CPU cores it gets: the demand, capped at the container's CPU limit.
    public var cpuUsed: Double

    public init(requestsPerSecond: Double = 0, cpuDemand: Double = 0, cpuUsed: Double = 0) {
        self.requestsPerSecond = requestsPerSecond
        self.cpuDemand = cpuDemand
        self.cpuUsed = cpuUsed
    }

    /// `cpuDemand / cpuUsed`: above 1 the process is throttled and requests queue.
    public var saturation: Double { cpuUsed > 0 ? cpuDemand / cpuUsed : 0 }
}

extension AppBehaviour {
    /// How long the working set takes to grow from idle to its size under load.
    public static let memoryRamp: TimeInterval = 20

    /// The working set `uptime` seconds after the container started, serving `requestsPerSecond`.
    /// Under any load it grows linearly to `memoryUnderLoad` over `memoryRamp`: what the
    /// kubelet compares with the limit (OOMKilled) and what cAdvisor reports.
    public func workingSet(requestsPerSecond: Double, uptime: TimeInterval) -> Int64 {
        guard requestsPerSecond > 0, memoryUnderLoad > memoryIdle else { return memoryIdle }
        let grown = Double(memoryUnderLoad - memoryIdle) * min(1, max(0, uptime) / Self.memoryRamp)
        return memoryIdle + Int64(grown)
    }
}
