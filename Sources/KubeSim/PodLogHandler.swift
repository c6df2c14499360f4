import Foundation
import Hummingbird
import MedicKube
import NIOCore

/// `GET …/pods/<pod>/log`: the text `KubeSim.setLog` or the scenario's kubelet wrote for a
/// container, with kubectl's `--container`, `--previous` and `--tail`, and the apiserver's
/// errors when the container is ambiguous or has no previous run.
struct PodLogHandler: Sendable {
    let sim: KubeSim

    func respond(pod name: String, target: ResourceRequest) throws -> Response {
        let namespace = target.namespace ?? ""
        guard let pod = sim.get(.pod, namespace: namespace, name: name) else { throw APIError.notFound(.pod, name) }
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let container: String
        if let given = target.query["container"], !given.isEmpty {
            guard containers.contains(given) else {
                throw APIError.badRequest("container \(given) is not valid for pod \(name)")
            }
            container = given
        } else if containers.count == 1 {
            container = containers[0]
        } else {
            throw APIError.badRequest(
                "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]")
        }
        let previous = target.query.flag("previous")
        let key = ClusterState.LogKey(namespace: namespace, pod: name, container: container, previous: previous)
        guard var text = sim.state.withLock({ $0.logs[key] }) ?? (previous ? nil : "") else {
            throw APIError.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
        }
        if let tail = target.query["tailLines"].flatMap(Int.init), tail >= 0 {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            text = lines.suffix(tail).map { $0 + "\n" }.joined()
        }
        // The kubelet stops after limitBytes bytes of what it would send.
        if let limit = target.query["limitBytes"].flatMap(Int.init), limit > 0, text.utf8.count > limit {
            text = String(decoding: text.utf8.prefix(limit), as: UTF8.self)
        }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = "text/plain"
        return response
    }
}
