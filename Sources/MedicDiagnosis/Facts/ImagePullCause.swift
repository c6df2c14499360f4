/// Why an image pull failed, read from the kubelet's message. Only `notFound` means the tag
/// does not exist; an authorization failure is fixed with credentials, not a rollback, and
/// Docker Hub's "does not exist or may require authorization" cannot tell the two apart.
public enum ImagePullCause: String, Sendable {
    case notFound = "not-found"
    case unauthorized
    case ambiguous
    case other

    public static func classify(_ message: String) -> ImagePullCause {
        let text = message.lowercased()
        if text.contains("repository does not exist or may require authorization") {
            return .ambiguous
        }
        let authorization = ["401 unauthorized", "403 forbidden", "failed to authorize", "unauthorized:",
                             "authentication required", "no basic auth credentials", "denied: access forbidden",
                             "failed to fetch anonymous token"]
        if authorization.contains(where: text.contains) {
            return .unauthorized
        }
        let missing = ["code = notfound", ": not found", "manifest unknown", "not found: manifest"]
        if missing.contains(where: text.contains) {
            return .notFound
        }
        return .other
    }
}
