import Foundation

/// The three patch formats an API server accepts on PATCH, chosen by the request's
/// Content-Type. Server-side apply (`application/apply-patch+yaml`) is not a patch format
/// here: it needs field ownership, which this engine does not track.
public enum PatchType: Sendable {
    /// `application/strategic-merge-patch+json`: kubectl's default, with per-field list merge keys.
    case strategicMerge
    /// `application/merge-patch+json` (RFC 7386): maps merge, lists are replaced.
    case merge
    /// `application/json-patch+json` (RFC 6902): a list of add/remove/replace/move/copy/test operations.
    case json

    /// Reads a Content-Type header value; parameters such as `; charset=utf-8` and letter case
    /// are ignored. Returns nil for anything else, which the server answers with 415.
    public init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        switch mediaType.trimmingCharacters(in: .whitespaces).lowercased() {
        case "application/strategic-merge-patch+json": self = .strategicMerge
        case "application/merge-patch+json": self = .merge
        case "application/json-patch+json": self = .json
        default: return nil
        }
    }
}
