import Foundation

/// Why medic could not work out how to reach a cluster. It names the kubeconfig file and the
/// field at fault the way a person would go and fix it:
/// `~/.kube/config: users[0].user.client-key-data: not valid base64`.
public struct KubeConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// A kubeconfig or credential file could not be read.
        case unreadableFile
        /// The file is not YAML, or a field has the wrong type.
        case malformedFile
        /// A field has a value medic cannot use (bad base64, unsupported auth, missing server).
        case invalidField
        /// `--context` or `current-context` names a context no file defines.
        case unknownContext
        /// Nothing says which context to use.
        case noCurrentContext
        /// No kubeconfig, no in-cluster service account: nowhere to connect.
        case noConfiguration
        /// The in-cluster service account files or environment are unusable.
        case inCluster
        /// The exec credential plugin failed or printed something unusable.
        case execPlugin
    }

    public var code: Code
    /// The file at fault as the user knows it (`~/.kube/config`), when there is one.
    public var file: String?
    /// The field within it, in kubeconfig spelling: `users[0].user.client-key-data`.
    public var field: String?
    public var problem: String

    public init(code: Code, file: String? = nil, field: String? = nil, problem: String) {
        self.code = code
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        [file, field, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
    }
}
