import CCurl
import Foundation

/// One libcurl transfer, run start to finish on the calling thread. `HTTPClient` gives each
/// transfer its own thread so libcurl's blocking calls never occupy the cooperative pool.
final class CurlTransfer {
    private let request: HTTPRequest
    private let configuration: HTTPClientConfiguration
    private let totalTimeout: Duration?
    private let cancellation: TransferCancellation
    /// Set for streaming: 2xx body bytes go here as they arrive instead of into `body`.
    private let onChunk: ((Data) -> Void)?

    private var easy: UnsafeMutableRawPointer?
    private var headers: [String: String] = [:]
    private var body = Data()
    private var streamedStatus: Int?
    private var receivedResponse = false
    private var bodyTooLarge = false

    init(
        request: HTTPRequest,
        configuration: HTTPClientConfiguration,
        totalTimeout: Duration?,
        cancellation: TransferCancellation,
        onChunk: ((Data) -> Void)? = nil
    ) {
        self.request = request
        self.configuration = configuration
        self.totalTimeout = totalTimeout
        self.cancellation = cancellation
        self.onChunk = onChunk
    }

    func run() -> Result<HTTPResponse, HTTPError> {
        guard CurlGlobal.initialized else {
            return .failure(error(.other, "curl_global_init failed"))
        }
        guard let session = CurlSessionPool.shared.checkout(for: request.url) else {
            return .failure(error(.other, "libcurl could not allocate a handle"))
        }
        let easy = session.easy
        self.easy = easy
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        var code = CURLE_FAILED_INIT
        defer {
            // Given back (and reset, so it no longer points at the buffers freed below) only
            // after a complete exchange; else dropped with its connection.
            CurlSessionPool.shared.checkin(session, for: request.url,
                                           reusable: code == CURLE_OK && !cancellation.isCancelled && !bodyTooLarge)
            curl_slist_free_all(headerList)
            errorBuffer.deallocate()
            self.easy = nil
        }

        if case .failure(let failure) = configure(easy, errorBuffer: errorBuffer, headerList: &headerList) {
            return .failure(failure)
        }
        code = perform(easy, multi: session.multi)

        if cancellation.isCancelled {
            return .failure(error(.cancelled, "the calling task was cancelled"))
        }
        if bodyTooLarge {
            return .failure(error(.tooLarge, "the body is larger than \(configuration.maxBodyBytes) bytes; medic stopped reading it"))
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            if droppedAfterHandshake(code) {
                return .failure(error(.tls, text + Self.droppedAfterHandshakeHint))
            }
            return .failure(error(Self.classify(code, text: text), text))
        }
        var status = 0
        _ = medic_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    /// Drives the transfer through its session's own multi handle so that cancellation can
    /// wake the wait (`curl_multi_wakeup`) instead of relying on the once-a-second progress
    /// callback. Removing the easy handle leaves its connection in the multi handle's cache.
    private func perform(_ easy: UnsafeMutableRawPointer, multi: UnsafeMutableRawPointer) -> CURLcode {
        cancellation.attach(multi)
        curl_multi_add_handle(multi, easy)
        defer {
            cancellation.detach()
            curl_multi_remove_handle(multi, easy)
        }
        var running: Int32 = 1
        while !cancellation.isCancelled {
            guard curl_multi_perform(multi, &running) == CURLM_OK else { return CURLE_FAILED_INIT }
            if running == 0 {
                var remaining: Int32 = 0
                while let message = curl_multi_info_read(multi, &remaining) {
                    if message.pointee.msg == CURLMSG_DONE {
                        return medic_message_result(message)
                    }
                }
                return CURLE_FAILED_INIT
            }
            guard curl_multi_poll(multi, nil, 0, 1000, nil) == CURLM_OK else { return CURLE_FAILED_INIT }
        }
        return CURLE_ABORTED_BY_CALLBACK
    }

    private func configure(
        _ easy: UnsafeMutableRawPointer,
        errorBuffer: UnsafeMutablePointer<CChar>,
        headerList: inout UnsafeMutablePointer<curl_slist>?
    ) -> Result<Void, HTTPError> {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var options = OptionSetter(easy: easy)
        options.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        options.set(CURLOPT_URL, request.url)
        options.set(CURLOPT_PROTOCOLS_STR, "http,https")
        options.set(CURLOPT_NOSIGNAL, 1)
        options.set(CURLOPT_ACCEPT_ENCODING, "")
        options.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout))
        options.set(CURLOPT_TIMEOUT_MS, totalTimeout.map(Self.milliseconds) ?? 0)

        let method = request.method.uppercased()
        if let body = request.body {
            options.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: curl_off_t(body.count))
            if body.isEmpty {
                options.set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    // COPYPOSTFIELDS copies POSTFIELDSIZE bytes, so binary bodies survive.
                    options.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            if method != "POST" {
                options.set(CURLOPT_CUSTOMREQUEST, method)
            }
        } else if method == "HEAD" {
            options.set(CURLOPT_NOBODY, 1)
        } else if method != "GET" {
            options.set(CURLOPT_CUSTOMREQUEST, method)
        }

        for line in headerLines() {
            headerList = curl_slist_append(headerList, line)
        }
        options.set(CURLOPT_HTTPHEADER, slist: headerList)

        options.set(CURLOPT_PROXY, configuration.proxy.proxy(for: request.url) ?? "")
        options.set(CURLOPT_NOPROXY, configuration.proxy.noProxy ?? "")

        let tls = configuration.tls
        options.set(CURLOPT_SSL_VERIFYPEER, tls.insecureSkipVerify ? 0 : 1)
        options.set(CURLOPT_SSL_VERIFYHOST, tls.insecureSkipVerify ? 0 : 2)
        options.setPEM(data: tls.caData, file: tls.caFile, blob: CURLOPT_CAINFO_BLOB, path: CURLOPT_CAINFO)
        options.setPEM(
            data: tls.clientCertificateData, file: tls.clientCertificateFile,
            blob: CURLOPT_SSLCERT_BLOB, path: CURLOPT_SSLCERT
        )
        options.setPEM(data: tls.clientKeyData, file: tls.clientKeyFile, blob: CURLOPT_SSLKEY_BLOB, path: CURLOPT_SSLKEY)
        if tls.clientCertificateData != nil || tls.clientCertificateFile != nil {
            options.set(CURLOPT_SSLCERTTYPE, "PEM")
            options.set(CURLOPT_SSLKEYTYPE, "PEM")
        }

        options.set(CURLOPT_WRITEFUNCTION, callback: curlWriteBody)
        options.set(CURLOPT_WRITEDATA, pointer: context)
        options.set(CURLOPT_HEADERFUNCTION, callback: curlWriteHeader)
        options.set(CURLOPT_HEADERDATA, pointer: context)

        if let (option, code) = options.firstFailure {
            let text = String(cString: curl_easy_strerror(code))
            return .failure(error(.other, "libcurl rejected option \(option.rawValue): \(text)"))
        }
        return .success(())
    }

    static let droppedAfterHandshakeHint = " (the server closed the TLS connection before answering,"
        + " which is how a server rejects a missing or untrusted client certificate)"

    /// With TLS 1.3 the server checks the client certificate after the client considers the
    /// handshake done, so a rejection shows up as a failed send or receive, often without
    /// any TLS text. An https connection dropped before any response byte is reported as TLS.
    private func droppedAfterHandshake(_ code: CURLcode) -> Bool {
        guard code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING else { return false }
        return !receivedResponse && request.url.lowercased().hasPrefix("https:")
    }

    private func headerLines() -> [String] {
        var lines: [String] = []
        var names = Set<String>()
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            names.insert(name.lowercased())
            // "Name;" is libcurl's way to send a header with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if let token = configuration.bearerToken, !names.contains("authorization") {
            lines.append("Authorization: Bearer \(token)")
        }
        if !names.contains("expect") {
            // No "100-continue" round trip before sending a body.
            lines.append("Expect:")
        }
        return lines
    }

    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        receivedResponse = true
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new status line (after a proxy CONNECT or a 100 Continue) starts a new header set.
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers[name] = headers[name].map { "\($0), \(value)" } ?? value
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !cancellation.isCancelled else { return false }
        if let onChunk {
            let status = streamedStatus ?? responseStatus()
            streamedStatus = status
            if (200..<300).contains(status) {
                onChunk(Data(bytes))
                return true
            }
        }
        guard body.count + bytes.count <= configuration.maxBodyBytes else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    private func responseStatus() -> Int {
        var status = 0
        if let easy {
            _ = medic_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        }
        return status
    }

    private func error(_ code: HTTPError.Code, _ message: String) -> HTTPError {
        HTTPError(code: code, method: request.method.uppercased(), url: request.url, message: message)
    }

    static func classify(_ code: CURLcode, text: String) -> HTTPError.Code {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            return .tls
        default:
            return .other
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Sets options and remembers the first one libcurl refused, so `configure` reads as a list.
private struct OptionSetter {
    let easy: UnsafeMutableRawPointer
    private(set) var firstFailure: (CURLoption, CURLcode)?

    init(easy: UnsafeMutableRawPointer) {
        self.easy = easy
    }

    private mutating func record(_ option: CURLoption, _ code: CURLcode) {
        if code != CURLE_OK, firstFailure == nil {
            firstFailure = (option, code)
        }
    }

    mutating func set(_ option: CURLoption, _ value: Int) {
        record(option, medic_setopt_long(easy, option, value))
    }

    mutating func set(_ option: CURLoption, offset value: curl_off_t) {
        record(option, medic_setopt_offset(easy, option, value))
    }

    mutating func set(_ option: CURLoption, _ value: String) {
        record(option, medic_setopt_string(easy, option, value))
    }

    mutating func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) {
        record(option, medic_setopt_pointer(easy, option, value))
    }

    mutating func set(_ option: CURLoption, slist value: UnsafeMutablePointer<curl_slist>?) {
        record(option, medic_setopt_slist(easy, option, value))
    }

    mutating func set(_ option: CURLoption, callback: curl_write_callback) {
        record(option, medic_setopt_write_callback(easy, option, callback))
    }

    /// Inline PEM wins over a file, as in kubeconfig.
    mutating func setPEM(data: Data?, file: String?, blob: CURLoption, path: CURLoption) {
        if let data {
            data.withUnsafeBytes { bytes in
                record(blob, medic_setopt_blob(easy, blob, bytes.baseAddress, bytes.count))
            }
        } else if let file {
            set(path, file)
        }
    }
}

/// libcurl's C callbacks; `userdata` is the unretained `CurlTransfer` running the transfer.
private func curlWriteBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    let length = size * count
    // Returning less than `length` makes libcurl abort the transfer.
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    let length = size * count
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// `curl_global_init` is not thread-safe and must run once per process; a static `let` is
/// initialised exactly once, on first use.
enum CurlGlobal {
    static let initialized: Bool = medic_global_init() == CURLE_OK
}
