import Foundation
import MedicHTTP

/// Sends `KubeRequest`s to one API server with current credentials, and turns every failure
/// into a `KubeAPIError`. Shared by the reader and the writer.
struct KubeTransport: Sendable {
    let connection: ClusterConnection
    let timeout: Duration

    /// The response of a 2xx request; anything else throws.
    func send(_ request: KubeRequest) async throws(KubeAPIError) -> HTTPResponse {
        let client = HTTPClient(configuration: try await configuration(for: request))
        let response: HTTPResponse
        do {
            response = try await client.send(httpRequest(request))
        } catch {
            throw failure(.unreachable, request, error.description)
        }
        guard (200..<300).contains(response.status) else {
            if response.status == 401 { await connection.credentialsRejected() }
            throw KubeAPIError(response: response, request: request, server: connection.server)
        }
        return response
    }

    /// The body of a long-lived 2xx response (a watch) as it arrives.
    func stream(_ request: KubeRequest) async throws(KubeAPIError) -> AsyncThrowingStream<Data, any Error> {
        let client = HTTPClient(configuration: try await configuration(for: request))
        return client.stream(httpRequest(request))
    }

    /// A stream failure as a `KubeAPIError`: a non-2xx answer carries its Status.
    func error(_ error: any Error, _ request: KubeRequest) -> KubeAPIError {
        if let error = error as? KubeAPIError { return error }
        guard let error = error as? HTTPError else { return failure(.unreachable, request, String(describing: error)) }
        if error.code == .httpStatus, let response = error.response {
            return KubeAPIError(response: response, request: request, server: connection.server)
        }
        return failure(.unreachable, request, error.description)
    }

    func failure(_ code: KubeAPIError.Code, _ request: KubeRequest, _ message: String) -> KubeAPIError {
        KubeAPIError(
            code: code, verb: request.verb, resource: request.resource.groupResource, namespace: request.namespace,
            name: request.name, server: connection.server, message: message
        )
    }

    /// Decodes a 2xx body, naming the request when it is not what was asked for.
    func decode<T: Decodable>(_ type: T.Type, from data: Data, _ request: KubeRequest) throws(KubeAPIError) -> T {
        do {
            return try KubeJSON.decode(T.self, from: data, shared: true)
        } catch {
            throw failure(.badResponse, request, String(describing: error))
        }
    }

    private func configuration(for request: KubeRequest) async throws(KubeAPIError) -> HTTPClientConfiguration {
        do {
            return try await connection.httpConfiguration(totalTimeout: timeout)
        } catch {
            throw failure(.credentials, request, error.description)
        }
    }

    private func httpRequest(_ request: KubeRequest) -> HTTPRequest {
        var headers = ["Accept": request.accept, "User-Agent": connection.userAgent]
        if let contentType = request.contentType { headers["Content-Type"] = contentType }
        return HTTPRequest(method: request.method, url: connection.server + request.pathAndQuery, headers: headers, body: request.body,
                    timeout: request.timeout)
    }
}
