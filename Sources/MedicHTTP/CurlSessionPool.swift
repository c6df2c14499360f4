import CCurl
import Foundation
import Synchronization

/// A libcurl easy handle with the multi handle that drives it. The multi handle owns the
/// connection cache, so keeping the pair keeps the connection (and its TLS session) open for
/// the next transfer to the same server.
final class CurlSession: @unchecked Sendable {
    // @unchecked: the pool hands a session to one transfer at a time, and only that
    // transfer's thread touches the handles until it gives the session back.
    let easy: UnsafeMutableRawPointer
    let multi: UnsafeMutableRawPointer

    init?() {
        guard let easy = curl_easy_init() else { return nil }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            return nil
        }
        self.easy = easy
        self.multi = multi
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_multi_cleanup(multi)
    }
}

/// Idle sessions per origin (scheme, host, port), process-wide like libcurl's own caches: the
/// Kubernetes client builds an `HTTPClient` per request (credentials may rotate), so a pool per
/// client would never be reused. A transfer takes an idle session for its URL's origin, or a
/// new one, and gives it back after a clean finish; libcurl itself decides whether the open
/// connection fits the next request (same host, TLS settings and client certificate) and
/// checks that it is still alive before reusing it.
final class CurlSessionPool: Sendable {
    static let shared = CurlSessionPool()

    /// Idle sessions kept per origin: enough for the requests medic runs at once per server.
    static let idlePerOrigin = 8

    private let idle = Mutex<[String: [CurlSession]]>([:])

    func checkout(for url: String) -> CurlSession? {
        let key = Self.origin(of: url)
        if let session = idle.withLock({ $0[key]?.popLast() }) { return session }
        return CurlSession()
    }

    /// A session whose transfer failed, was cancelled or cut short is dropped (its connection
    /// closed with it), never offered again.
    func checkin(_ session: CurlSession, for url: String, reusable: Bool) {
        guard reusable else { return }
        curl_easy_reset(session.easy)
        let key = Self.origin(of: url)
        idle.withLock { pool in
            if pool[key, default: []].count < Self.idlePerOrigin { pool[key, default: []].append(session) }
        }
    }

    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased() else { return url }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}
