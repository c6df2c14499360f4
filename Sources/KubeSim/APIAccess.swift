import Hummingbird
import NIOCore

/// Who is calling and what they may do: authentication (bearer token, client certificate,
/// or a service-account token RBAC knows) and RBAC on each request of a service account.
/// One type so every route asks both questions the same way.
struct APIAccess: Sendable {
    let authentication: Authentication
    /// RBAC for service-account tokens; nil when the server enforces none.
    let authorizer: RBACAuthorizer?

    /// The service account the request authenticates as; nil for any other caller the server
    /// lets in. Throws 401 Unauthorized for a caller it does not.
    func caller(of request: Request, channel: any Channel) async throws -> String? {
        if let serviceAccount = authorizer?.user(authorization: request.headers[.authorization]) { return serviceAccount }
        try await authentication.check(request, channel: channel)
        return nil
    }

    /// Throws 403 Forbidden when RBAC denies the service account `caller` this request;
    /// other callers are not subject to RBAC.
    func authorize(_ caller: String?, method: HTTPRequest.Method, target: ResourceRequest, legacyWatch: Bool,
                   in sim: KubeSim) throws(APIError) {
        guard let authorizer, let caller else { return }
        try authorizer.authorize(RBACRequest(user: caller, method: method, target: target, legacyWatch: legacyWatch), in: sim)
    }
}
