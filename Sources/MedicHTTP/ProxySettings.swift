import Foundation

/// Which proxy a request goes through. medic decides this itself instead of letting libcurl
/// read the environment, so the rule is the one kubectl users know (Go's `httpproxy`):
/// `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http URLs, upper case before lower case,
/// and `NO_PROXY` hosts go direct.
public struct ProxySettings: Sendable, Equatable {
    public var httpsProxy: String?
    public var httpProxy: String?
    /// Comma-separated host names, domain suffixes and IP addresses, or `*`, in libcurl's
    /// `NO_PROXY` syntax.
    public var noProxy: String?

    public init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    /// Every request goes direct, whatever the environment says.
    public static let none = ProxySettings()

    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ProxySettings {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        return ProxySettings(
            httpsProxy: value("HTTPS_PROXY", "https_proxy"),
            httpProxy: value("HTTP_PROXY", "http_proxy"),
            noProxy: value("NO_PROXY", "no_proxy")
        )
    }

    /// The proxy for `url`, or nil to go direct.
    func proxy(for url: String) -> String? {
        url.lowercased().hasPrefix("https:") ? httpsProxy : httpProxy
    }
}
