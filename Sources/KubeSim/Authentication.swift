import Hummingbird
import NIOCore
import NIOSSL

/// Who may call the API: anyone (plain HTTP, or TLS without credentials configured), a
/// bearer-token holder, and/or a holder of a client certificate signed by the client CA.
/// `/version` and the health endpoints stay public, as on a real cluster.
struct Authentication: Sendable {
    var bearerToken: String?
    var clientCertificates: Bool

    static let none = Authentication(bearerToken: nil, clientCertificates: false)

    func check(_ request: Request, channel: any Channel) async throws {
        guard bearerToken != nil || clientCertificates else { return }
        if let token = bearerToken, request.headers[.authorization] == "Bearer \(token)" { return }
        if clientCertificates, (try? await channel.nioSSL_peerCertificate().get()) != nil { return }
        throw APIError.unauthorized
    }
}
