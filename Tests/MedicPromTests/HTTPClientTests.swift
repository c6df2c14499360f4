import Foundation
import MedicHTTP
import Testing

/// What Fixtures/test_server.py's /echo saw.
private struct Echo: Decodable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: String
    var client_cn: String?
}

private func echo(_ response: HTTPResponse) throws -> Echo {
    try JSONDecoder().decode(Echo.self, from: response.body)
}

private func client(
    tls: TLSOptions = TLSOptions(),
    totalTimeout: Duration = .seconds(20),
    bearerToken: String? = nil,
    proxy: ProxySettings = .none
) -> HTTPClient {
    HTTPClient(configuration: HTTPClientConfiguration(
        connectTimeout: .seconds(5), totalTimeout: totalTimeout, tls: tls, bearerToken: bearerToken, proxy: proxy
    ))
}

private func expectHTTPError(
    _ code: HTTPError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> HTTPError? {
    do {
        try await body()
        Issue.record("expected HTTPError \(code), got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as HTTPError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected HTTPError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTests {
    @Test func getSendsHeadersAndReturnsLowercasedResponseHeaders() async throws {
        try await TestServer.with { server in
            let response = try await client().send(HTTPRequest(
                url: server.baseURL + "/echo?x=1", headers: ["X-Medic": "yes", "Accept": "application/json"]
            ))
            #expect(response.status == 200)
            #expect(response.headers["x-test-server"] == "medic")
            #expect(response.headers["content-type"] == "application/json")
            let seen = try echo(response)
            #expect(seen.method == "GET")
            #expect(seen.path == "/echo?x=1")
            #expect(seen.headers["x-medic"] == "yes")
            #expect(seen.headers["accept"] == "application/json")
            #expect(seen.headers["authorization"] == nil)
        }
    }

    @Test func postAndPatchSendTheBodyWithoutExpectContinue() async throws {
        try await TestServer.with { server in
            let body = Data(#"{"replicas":3}"#.utf8)
            for method in ["POST", "PATCH"] {
                let response = try await client().send(HTTPRequest(
                    method: method, url: server.baseURL + "/echo",
                    headers: ["Content-Type": "application/merge-patch+json"], body: body
                ))
                let seen = try echo(response)
                #expect(seen.method == method)
                #expect(seen.body == #"{"replicas":3}"#)
                #expect(seen.headers["content-type"] == "application/merge-patch+json")
                #expect(seen.headers["content-length"] == "14")
                #expect(seen.headers["expect"] == nil)
            }
        }
    }

    @Test func nonSuccessStatusesAreResponsesNotErrors() async throws {
        try await TestServer.with { server in
            for status in [404, 409, 500, 503] {
                let response = try await client().send(HTTPRequest(url: server.baseURL + "/status/\(status)"))
                #expect(response.status == status)
                #expect(String(decoding: response.body, as: UTF8.self) == "status \(status)")
            }
        }
    }

    /// A body past the configured bound is an error naming it, not unbounded memory.
    @Test func aBodyLargerThanTheLimitIsTooLarge() async throws {
        try await TestServer.with { server in
            let small = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none, maxBodyBytes: 64))
            let error = await expectHTTPError(.tooLarge) {
                _ = try await small.send(HTTPRequest(url: server.baseURL + "/echo?padding=" + String(repeating: "x", count: 200)))
            }
            #expect(error?.description.contains("response too large: the body is larger than 64 bytes") == true, "\(String(describing: error))")
            // The same request fits the default bound.
            let fits = try await client().send(HTTPRequest(url: server.baseURL + "/echo"))
            #expect(fits.status == 200)
        }
    }

    @Test func refusedConnectionIsCouldNotConnectAndNamesTheURL() async {
        let url = "http://127.0.0.1:\(closedLoopbackPort())/api/v1/query"
        let error = await expectHTTPError(.couldNotConnect) {
            _ = try await client().send(HTTPRequest(url: url))
        }
        #expect(error?.description.hasPrefix("GET \(url): could not connect: ") == true)
        #expect(error?.message.contains("127.0.0.1") == true)
    }

    @Test func unsupportedSchemeIsInvalidURL() async {
        let error = await expectHTTPError(.invalidURL) {
            _ = try await client().send(HTTPRequest(url: "ftp://127.0.0.1/file"))
        }
        #expect(error?.description.hasPrefix("GET ftp://127.0.0.1/file: invalid URL: ") == true)
    }

    @Test func totalTimeoutStopsASlowServer() async throws {
        try await TestServer.with { server in
            let start = ContinuousClock.now
            let error = await expectHTTPError(.timedOut) {
                _ = try await client(totalTimeout: .milliseconds(500)).send(HTTPRequest(url: server.baseURL + "/sleep/5"))
            }
            #expect(ContinuousClock.now - start < .seconds(4), "far sooner than the server's 5 s")
            #expect(error?.description.contains("timed out") == true)

            let perRequest = ContinuousClock.now
            _ = await expectHTTPError(.timedOut) {
                _ = try await client().send(HTTPRequest(url: server.baseURL + "/sleep/5", timeout: .milliseconds(300)))
            }
            #expect(ContinuousClock.now - perRequest < .seconds(4), "far sooner than the server's 5 s")
        }
    }

    @Test func cancellingTheTaskAbortsTheTransferAtOnce() async throws {
        try await TestServer.with { server in
            let http = client()
            let task = Task { try await http.send(HTTPRequest(url: server.baseURL + "/sleep/10")) }
            try await Task.sleep(for: .milliseconds(300))
            let start = ContinuousClock.now
            task.cancel()
            let result = await task.result
            // Far sooner than the 10 s the server would take; generous for a loaded machine.
            #expect(ContinuousClock.now - start < .seconds(4))
            guard case .failure(let error as HTTPError) = result else {
                Issue.record("expected an HTTPError, got \(result)")
                return
            }
            #expect(error.code == .cancelled)
        }
    }

    @Test func streamDeliversChunksAsTheyArrive() async throws {
        try await TestServer.with { server in
            let start = ContinuousClock.now
            var chunks: [String] = []
            var firstChunkAfter: Duration?
            for try await chunk in client().stream(HTTPRequest(url: server.baseURL + "/chunks?n=3&delay=0.4")) {
                firstChunkAfter = firstChunkAfter ?? ContinuousClock.now - start
                chunks.append(String(decoding: chunk, as: UTF8.self))
            }
            let total = ContinuousClock.now - start
            #expect(chunks == ["chunk-0\n", "chunk-1\n", "chunk-2\n"])
            // The server pauses 0.4 s after each chunk: the first one must not wait for the rest.
            #expect(total >= .milliseconds(1200))
            #expect(try #require(firstChunkAfter) < total - .milliseconds(600))
        }
    }

    @Test func cancellingTheConsumerAbortsTheStream() async throws {
        try await TestServer.with { server in
            let http = client()
            let firstChunk = AsyncStream.makeStream(of: String.self)
            let consumer = Task {
                for try await chunk in http.stream(HTTPRequest(url: server.baseURL + "/chunks?n=200&delay=0.05")) {
                    firstChunk.continuation.yield(String(decoding: chunk, as: UTF8.self))
                }
            }
            var iterator = firstChunk.stream.makeAsyncIterator()
            #expect(await iterator.next() == "chunk-0\n")
            consumer.cancel()
            // The server counts a stream as aborted when its next write finds the socket closed.
            let deadline = ContinuousClock.now + .seconds(3)
            var aborted = 0
            while aborted == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                let stats = try await http.send(HTTPRequest(url: server.baseURL + "/stats"))
                aborted = try JSONDecoder().decode([String: Int].self, from: stats.body)["aborted_streams"] ?? 0
            }
            #expect(aborted == 1)
        }
    }

    @Test func streamEndsWithTheResponseOnNonSuccessStatus() async throws {
        try await TestServer.with { server in
            var chunks = 0
            do {
                for try await _ in client().stream(HTTPRequest(url: server.baseURL + "/status/410")) {
                    chunks += 1
                }
                Issue.record("expected an error for status 410")
            } catch let error as HTTPError {
                #expect(error.code == .httpStatus)
                #expect(error.response?.status == 410)
                #expect(error.response.map { String(decoding: $0.body, as: UTF8.self) } == "status 410")
                #expect(error.description == "GET \(server.baseURL)/status/410: HTTP status 410: status 410")
            }
            #expect(chunks == 0)
        }
    }

    @Test func bearerTokenIsSentUnlessTheRequestHasAuthorization() async throws {
        try await TestServer.with { server in
            let http = client(bearerToken: "s3cret")
            let plain = try echo(await http.send(HTTPRequest(url: server.baseURL + "/echo")))
            #expect(plain.headers["authorization"] == "Bearer s3cret")
            let own = try echo(await http.send(HTTPRequest(
                url: server.baseURL + "/echo", headers: ["Authorization": "Basic YTpi"]
            )))
            #expect(own.headers["authorization"] == "Basic YTpi")
        }
    }

    @Test func httpURLsGoThroughTheHTTPProxyUnlessNoProxyMatches() async throws {
        try await TestServer.with { proxy in
            let viaProxy = client(proxy: ProxySettings(httpsProxy: nil, httpProxy: proxy.baseURL))
            let seen = try echo(await viaProxy.send(HTTPRequest(url: "http://prometheus.monitoring.invalid:9090/x")))
            #expect(seen.path == "http://prometheus.monitoring.invalid:9090/x")

            let bypass = client(proxy: ProxySettings(httpProxy: proxy.baseURL, noProxy: "localhost,.invalid"))
            _ = await expectHTTPError(.couldNotConnect) {
                _ = try await bypass.send(HTTPRequest(url: "http://prometheus.monitoring.invalid:9090/x"))
            }
        }
    }

    @Test func proxySettingsFollowKubectlsEnvironmentRules() {
        let settings = ProxySettings.fromEnvironment([
            "HTTPS_PROXY": "http://upper:3128", "https_proxy": "http://lower:3128",
            "http_proxy": "http://plain:3128", "no_proxy": "10.0.0.0/8,.cluster.local",
        ])
        #expect(settings == ProxySettings(
            httpsProxy: "http://upper:3128", httpProxy: "http://plain:3128", noProxy: "10.0.0.0/8,.cluster.local"
        ))
        #expect(ProxySettings.fromEnvironment(["HTTPS_PROXY": ""]) == .none)
    }
}

/// The server's count of accepted connections (the stats request itself included).
private func connections(_ server: TestServer) async throws -> Int {
    let stats = try await client().send(HTTPRequest(url: server.baseURL + "/stats"))
    return try JSONDecoder().decode([String: Int].self, from: stats.body)["connections"] ?? -1
}

/// Connections are kept and reused across requests, even from separate `HTTPClient` values
/// (the Kubernetes client makes one per request).
@Suite(.serialized, .timeLimit(.minutes(1)))
struct HTTPConnectionReuseTests {
    @Test func sequentialRequestsToOneServerShareOneConnection() async throws {
        try await TestServer.with { server in
            let before = try await connections(server)
            for index in 0..<10 {
                let method = index.isMultiple(of: 2) ? "GET" : "POST"
                let response = try await client().send(HTTPRequest(
                    method: method, url: server.baseURL + "/echo", body: method == "POST" ? Data("{}".utf8) : nil))
                #expect(response.status == 200)
            }
            _ = try await client().send(HTTPRequest(url: server.baseURL + "/status/404"))
            #expect(try await connections(server) == before)
        }
    }

    @Test func concurrentRequestsEachGetAConnectionAndKeepIt() async throws {
        try await TestServer.with { server in
            let before = try await connections(server)
            for _ in 0..<3 {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<4 {
                        group.addTask { try await client().send(HTTPRequest(url: server.baseURL + "/sleep/0.2")).status }
                    }
                    for try await status in group { #expect(status == 200) }
                }
            }
            // Four at once need four connections; the next rounds reuse them.
            #expect(try await connections(server) <= before + 4)
        }
    }

    @Test func aCancelledOrFailedTransferIsNotReused() async throws {
        try await TestServer.with { server in
            let before = try await connections(server)
            let slow = Task { try await client().send(HTTPRequest(url: server.baseURL + "/sleep/5")) }
            try await Task.sleep(for: .milliseconds(300))
            slow.cancel()
            _ = await slow.result
            let response = try await client().send(HTTPRequest(url: server.baseURL + "/echo"))
            #expect(response.status == 200)
            // The cancelled request's connection was closed, not handed to the next request.
            #expect(try await connections(server) == before + 1)
        }
    }
}

@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTLSTests {
    @Test func trustsTheServerThroughACAFileOrInlineCAData() async throws {
        try await TestPKI.with { pki in
            let tls = TestServer.TLS(certificate: pki.serverCertificate, key: pki.serverKey)
            try await TestServer.with(tls: tls) { server in
                let byFile = try await client(tls: TLSOptions(caFile: pki.caFile))
                    .send(HTTPRequest(url: server.baseURL + "/echo"))
                #expect(byFile.status == 200)
                let caData = try Data(contentsOf: URL(fileURLWithPath: pki.caFile))
                let byData = try await client(tls: TLSOptions(caData: caData))
                    .send(HTTPRequest(url: server.baseURL + "/echo"))
                #expect(byData.status == 200)
                // Inline data wins over a file, as in kubeconfig.
                let both = try await client(tls: TLSOptions(caFile: "/nonexistent/ca.crt", caData: caData))
                    .send(HTTPRequest(url: server.baseURL + "/echo"))
                #expect(both.status == 200)
            }
        }
    }

    @Test func untrustedCertificateFailsUnlessVerificationIsSkippedExplicitly() async throws {
        try await TestPKI.with { pki in
            let tls = TestServer.TLS(certificate: pki.serverCertificate, key: pki.serverKey)
            try await TestServer.with(tls: tls) { server in
                let error = await expectHTTPError(.tls) {
                    _ = try await client().send(HTTPRequest(url: server.baseURL + "/echo"))
                }
                #expect(error?.description.hasPrefix("GET \(server.baseURL)/echo: TLS failure: ") == true)
                let skipped = try await client(tls: TLSOptions(insecureSkipVerify: true))
                    .send(HTTPRequest(url: server.baseURL + "/echo"))
                #expect(skipped.status == 200)
            }
        }
    }

    /// A connection opened without verification is never handed to a request that verifies:
    /// libcurl matches a kept connection's TLS settings before reusing it.
    @Test func anUnverifiedConnectionIsNotReusedByAVerifyingRequest() async throws {
        try await TestPKI.with { pki in
            let tls = TestServer.TLS(certificate: pki.serverCertificate, key: pki.serverKey)
            try await TestServer.with(tls: tls) { server in
                let skipped = try await client(tls: TLSOptions(insecureSkipVerify: true))
                    .send(HTTPRequest(url: server.baseURL + "/echo"))
                #expect(skipped.status == 200)
                _ = await expectHTTPError(.tls) {
                    _ = try await client().send(HTTPRequest(url: server.baseURL + "/echo"))
                }
                let trusted = try await client(tls: TLSOptions(caFile: pki.caFile)).send(HTTPRequest(url: server.baseURL + "/echo"))
                #expect(trusted.status == 200)
            }
        }
    }

    @Test func hostNameIsVerified() async throws {
        try await TestPKI.with { pki in
            let tls = TestServer.TLS(certificate: pki.otherHostCertificate, key: pki.otherHostKey)
            try await TestServer.with(tls: tls) { server in
                // A certificate from the trusted CA, but for elsewhere.invalid, not 127.0.0.1.
                let error = await expectHTTPError(.tls) {
                    _ = try await client(tls: TLSOptions(caFile: pki.caFile))
                        .send(HTTPRequest(url: server.baseURL + "/echo"))
                }
                #expect(error?.message.contains("127.0.0.1") == true)
            }
        }
    }

    @Test func clientCertificateFromFilesOrDataSatisfiesAServerThatRequiresOne() async throws {
        try await TestPKI.with { pki in
            let tls = TestServer.TLS(certificate: pki.serverCertificate, key: pki.serverKey, clientCA: pki.caFile)
            try await TestServer.with(tls: tls) { server in
                let url = server.baseURL + "/echo"
                let error = await expectHTTPError(.tls) {
                    _ = try await client(tls: TLSOptions(caFile: pki.caFile)).send(HTTPRequest(url: url))
                }
                #expect(error?.description.hasPrefix("GET \(url): TLS failure: ") == true)
                let files = TLSOptions(
                    caFile: pki.caFile, clientCertificateFile: pki.clientCertificate, clientKeyFile: pki.clientKey
                )
                #expect(try echo(await client(tls: files).send(HTTPRequest(url: url))).client_cn == "medic-client")
                let inline = TLSOptions(
                    caFile: pki.caFile,
                    clientCertificateData: try Data(contentsOf: URL(fileURLWithPath: pki.clientCertificate)),
                    clientKeyData: try Data(contentsOf: URL(fileURLWithPath: pki.clientKey))
                )
                #expect(try echo(await client(tls: inline).send(HTTPRequest(url: url))).client_cn == "medic-client")
            }
        }
    }
}
