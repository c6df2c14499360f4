import Foundation

/// Where trust and client identity come from. Kubeconfig and in-cluster credentials come
/// either as files or as inline PEM, so both are accepted; when both are set, the inline data
/// wins (kubectl's rule for `certificate-authority-data`).
///
/// Verification of the server certificate and host name is always on unless
/// `insecureSkipVerify` is set explicitly.
public struct TLSOptions: Sendable, Equatable {
    /// PEM bundle of trusted CAs. Without either, the system trust store is used.
    public var caFile: String?
    public var caData: Data?
    /// PEM client certificate and key for mutual TLS.
    public var clientCertificateFile: String?
    public var clientCertificateData: Data?
    public var clientKeyFile: String?
    public var clientKeyData: Data?
    public var insecureSkipVerify: Bool

    public init(
        caFile: String? = nil,
        caData: Data? = nil,
        clientCertificateFile: String? = nil,
        clientCertificateData: Data? = nil,
        clientKeyFile: String? = nil,
        clientKeyData: Data? = nil,
        insecureSkipVerify: Bool = false
    ) {
        self.caFile = caFile
        self.caData = caData
        self.clientCertificateFile = clientCertificateFile
        self.clientCertificateData = clientCertificateData
        self.clientKeyFile = clientKeyFile
        self.clientKeyData = clientKeyData
        self.insecureSkipVerify = insecureSkipVerify
    }
}
