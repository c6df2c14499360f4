import Foundation
import MedicKube

/// A container's liveness or readiness probe as the kubelet runs it: when, against which
/// port, and the error text a failed attempt gives.
struct Probe: Sendable, Equatable {
    enum Kind: String, Sendable {
        case liveness = "Liveness"
        case readiness = "Readiness"
    }

    enum Action: Sendable, Equatable {
        case http(scheme: String, path: String, port: Int)
        case tcp(port: Int)
        /// `exec` and `grpc`: the simulated process always answers them.
        case other
    }

    var kind: Kind
    var action: Action
    var initialDelay: TimeInterval
    var period: TimeInterval
    var timeout: TimeInterval
    var failureThreshold: Int
    var successThreshold: Int

    /// The probe of `container` (`livenessProbe`/`readinessProbe`), named ports resolved from
    /// its `ports`; nil when it has none.
    init?(_ kind: Kind, container: JSON) {
        let field = kind == .liveness ? "livenessProbe" : "readinessProbe"
        guard let probe = container[field], probe.object != nil else { return nil }
        func port(_ value: JSON?) -> Int {
            switch value {
            case .int(let number)?: return Int(number)
            case .string(let name)?:
                let declared = container["ports"]?.array?.first { $0["name"]?.string == name }
                return Int(declared?["containerPort"]?.int ?? Int64(name) ?? 0)
            default: return 0
            }
        }
        self.kind = kind
        if let get = probe["httpGet"] {
            var path = get["path"]?.string ?? "/"
            if !path.hasPrefix("/") { path = "/" + path }
            action = .http(scheme: (get["scheme"]?.string ?? "HTTP").lowercased(), path: path, port: port(get["port"]))
        } else if let socket = probe["tcpSocket"] {
            action = .tcp(port: port(socket["port"]))
        } else {
            action = .other
        }
        func number(_ key: String, _ fallback: Int64) -> Int64 { probe[key]?.int ?? fallback }
        initialDelay = TimeInterval(number("initialDelaySeconds", 0))
        period = TimeInterval(max(1, number("periodSeconds", 10)))
        timeout = TimeInterval(max(1, number("timeoutSeconds", 1)))
        failureThreshold = Int(max(1, number("failureThreshold", 3)))
        successThreshold = Int(max(1, number("successThreshold", 1)))
    }

    /// The port the probe connects to; nil for probes that need no port.
    var port: Int? {
        switch action {
        case .http(_, _, let port), .tcp(let port): port
        case .other: nil
        }
    }

    /// When the first attempt runs after the container started at `startedAt`: the initial
    /// delay, then one period (the kubelet's worker starts on a period's tick).
    func firstAttempt(after startedAt: Date) -> Date {
        startedAt.addingTimeInterval(initialDelay + period)
    }

    /// The event message for an attempt on a port nothing listens on.
    func refused(ip: String) -> String {
        switch action {
        case .http(let scheme, let path, let port):
            "\(kind.rawValue) probe failed: Get \"\(scheme)://\(ip):\(port)\(path)\": dial tcp \(ip):\(port): connect: connection refused"
        case .tcp(let port):
            "\(kind.rawValue) probe failed: dial tcp \(ip):\(port): connect: connection refused"
        case .other:
            "\(kind.rawValue) probe failed: "
        }
    }

    /// The event message for an HTTP answer outside 200–399.
    func failedStatus(_ status: Int) -> String {
        "\(kind.rawValue) probe failed: HTTP probe failed with statuscode: \(status)"
    }

    /// The event message for an attempt the saturated process did not answer within `timeout`.
    func timedOut(ip: String) -> String {
        switch action {
        case .http(let scheme, let path, let port):
            "\(kind.rawValue) probe failed: Get \"\(scheme)://\(ip):\(port)\(path)\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        case .tcp(let port):
            "\(kind.rawValue) probe failed: dial tcp \(ip):\(port): i/o timeout"
        case .other:
            "\(kind.rawValue) probe failed: command timed out"
        }
    }
}
