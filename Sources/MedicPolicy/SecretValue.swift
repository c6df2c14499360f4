import Foundation

/// A credential a policy refers to without holding it: a Slack webhook URL or a PagerDuty
/// routing key grants anyone who reads it the right to page people, and policies live in
/// ConfigMaps. Resolved when a notification is sent, so `medic lint` needs no secrets.
public enum SecretValue: Sendable, Equatable, CustomStringConvertible {
    /// Written in the policy (fine for a receiver that needs no secret, like a local relay).
    case literal(String)
    /// An environment variable, typically set from a Kubernetes Secret (`env[].valueFrom.secretKeyRef`).
    case environment(String)
    /// A file, typically a mounted Secret key; read at each use, so a rotated Secret is picked up.
    case file(String)

    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Where the value comes from, never the value: what logs and errors may say.
    public var description: String {
        switch self {
        case .literal: "the value written in the policy"
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }

    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Unavailable) -> String {
        switch self {
        case .literal(let value):
            return value
        case .environment(let name):
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw Unavailable(description: "environment variable \(name) is not set or empty")
            }
            return value
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  case let value = text.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw Unavailable(description: "file \(path) cannot be read or is empty")
            }
            return value
        }
    }
}
