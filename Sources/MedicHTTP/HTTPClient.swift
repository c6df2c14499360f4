import Foundation

/// The one way medic talks HTTP. libcurl underneath gives the TLS, proxy and client-certificate
/// behaviour of the tools SREs already trust (curl, kubectl's transports) on every platform;
/// each transfer runs on its own thread, so slow servers never block Swift's cooperative pool,
/// and connections are kept for the next request to the same server (`CurlSessionPool`).
public struct HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    /// Sends `request` and returns the whole response, whatever its status. Bounded by
    /// `request.timeout ?? configuration.totalTimeout`; cancelling the task aborts the transfer.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let cancellation = TransferCancellation()
        let configuration = configuration
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Self.detach {
                    let transfer = CurlTransfer(
                        request: request,
                        configuration: configuration,
                        totalTimeout: request.timeout ?? configuration.totalTimeout,
                        cancellation: cancellation
                    )
                    continuation.resume(returning: transfer.run())
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Body bytes of a 2xx response as they arrive, for long-lived responses such as a
    /// Kubernetes watch. Only `request.timeout` bounds the total time, because a watch is meant
    /// to stay open. A non-2xx response ends the stream with `HTTPError.Code.httpStatus` and the
    /// full response. Cancelling the consuming task, or dropping the stream, aborts the transfer.
    public func stream(_ request: HTTPRequest) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            let cancellation = TransferCancellation()
            continuation.onTermination = { _ in cancellation.cancel() }
            let configuration = configuration
            let method = request.method.uppercased()
            Self.detach {
                let transfer = CurlTransfer(
                    request: request,
                    configuration: configuration,
                    totalTimeout: request.timeout,
                    cancellation: cancellation,
                    onChunk: { continuation.yield($0) }
                )
                switch transfer.run() {
                case .success(let response) where (200..<300).contains(response.status):
                    continuation.finish()
                case .success(let response):
                    let body = String(decoding: response.body.prefix(512), as: UTF8.self)
                    continuation.finish(throwing: HTTPError(
                        code: .httpStatus, method: method, url: request.url,
                        message: body.isEmpty ? "empty body" : body, response: response
                    ))
                case .failure(let error):
                    continuation.finish(throwing: error)
                }
            }
        }
    }

    /// A dedicated thread per transfer: simple, and libcurl's blocking waits stay off the pool.
    private static func detach(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread(block: work)
        thread.name = "medic-http"
        thread.start()
    }
}
