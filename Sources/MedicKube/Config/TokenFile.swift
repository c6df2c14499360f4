import Foundation
import Synchronization

/// A bearer token kept in a file (`tokenFile`, the service-account token). Bound tokens rotate
/// (the kubelet swaps the file about hourly), so the file is opened by path on every request
/// rather than cached; if a read fails, the last good token is used, as client-go does.
public final class TokenFile: Sendable {
    public let path: String
    /// The kubeconfig file and field that named it, for errors.
    let source: String?
    let field: String?
    private let lastGood = Mutex<String?>(nil)

    public init(path: String, source: String? = nil, field: String? = nil) {
        self.path = path
        self.source = source
        self.field = field
    }

    /// The token as the file holds it now, whitespace-trimmed.
    public func token() throws(KubeConfigError) -> String {
        let problem: String
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty {
                lastGood.withLock { $0 = text }
                return text
            }
            problem = "the token file \(path) is empty"
        } catch {
            problem = "cannot read the token file \(path): \(KubeConfig.reason(error))"
        }
        if let token = lastGood.withLock({ $0 }) { return token }
        throw KubeConfigError(code: source == nil ? .inCluster : .invalidField, file: source, field: field, problem: problem)
    }
}
