import Foundation
import Testing
@testable import MedicKube

@Suite("Status errors")
struct ClientStatusErrorTests {
    private static let deployment = "/apis/apps/v1/namespaces/shop/deployments/web"

    @Test("each Status becomes a typed error with a message a human can act on")
    func decoding() async throws {
        try await KubeFixtureServer.with(errors: [
            "GET \(Self.deployment)": ("client-status-notfound.json", 404, [:]),
            "PUT \(Self.deployment)": ("client-status-conflict.json", 409, [:]),
            "POST /apis/apps/v1/namespaces/shop/deployments": ("client-status-alreadyexists.json", 409, [:]),
            "GET /api/v1/namespaces/shop/pods": ("client-status-forbidden.json", 403, [:]),
            "PATCH \(Self.deployment)": ("client-status-invalid.json", 422, [:]),
            "GET /api/v1/namespaces/shop/services": ("client-status-toomanyrequests.json", 429, ["Retry-After": "5"]),
            "GET /api/v1/namespaces/shop/endpoints": ("client-status-toomanyrequests.json", 429, [:]),
            "GET /api/v1/namespaces": ("client-status-unauthorized.json", 401, [:]),
        ]) { server in
            let reader = KubeReader(connection: server.connection)
            let writer = KubeWriter(connection: server.connection)
            let web = try KubeJSON.makeDecoder().decode(
                Deployment.self, from: Data(#"{"metadata":{"name":"web","namespace":"shop","resourceVersion":"7"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[]}}}}"#.utf8))

            let notFound = await error { _ = try await reader.get(Deployment.self, name: "web", namespace: "shop") }
            #expect(notFound?.code == .notFound)
            #expect(notFound?.description == #"medic cannot get deployments.apps "web" in namespace "shop": not found (deployments.apps "web" not found)"#)

            let conflict = await error { _ = try await writer.update(web) }
            #expect(conflict?.code == .conflict)
            #expect(conflict?.description == #"medic cannot update deployments.apps "web" in namespace "shop": conflict, the object changed since it was read; read it again and retry (Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again)"#)

            let exists = await error { _ = try await writer.create(web) }
            #expect(exists?.code == .alreadyExists)
            #expect(exists?.description == #"medic cannot create deployments.apps in namespace "shop": it already exists (deployments.apps "web" already exists)"#)

            let forbidden = await error { _ = try await reader.list(Pod.self, namespace: "shop") }
            #expect(forbidden?.code == .forbidden)
            #expect(forbidden?.description == #"medic cannot list pods in namespace "shop": forbidden (pods is forbidden: User "system:serviceaccount:medic:medic" cannot list resource "pods" in API group "" in the namespace "shop")"#)

            let invalid = await error {
                _ = try await writer.patch(Deployment.self, name: "web", namespace: "shop", patch: Data("{}".utf8), as: .strategicMerge)
            }
            #expect(invalid?.code == .invalid)
            #expect(invalid?.causes == [
                KubeStatus.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers[0].image"),
                KubeStatus.Cause(reason: "FieldValueInvalid", message: "Invalid value: -1: must be greater than or equal to 0", field: "spec.replicas"),
            ])
            #expect(invalid?.description == #"medic cannot patch deployments.apps "web" in namespace "shop": invalid: spec.template.spec.containers[0].image: Required value; spec.replicas: Invalid value: -1: must be greater than or equal to 0"#)

            let throttledHeader = await error { _ = try await reader.list(Service.self, namespace: "shop") }
            #expect(throttledHeader?.code == .tooManyRequests)
            #expect(throttledHeader?.retryAfterSeconds == 5)
            #expect(throttledHeader?.description == #"medic cannot list services in namespace "shop": the API server is rate-limiting requests (429); retry after 5 s (Too many requests, please try again later.)"#)
            let throttledDetails = await error { _ = try await reader.list(Endpoints.self, namespace: "shop") }
            #expect(throttledDetails?.retryAfterSeconds == 3)

            let unauthorized = await error { _ = try await reader.list(Namespace.self) }
            #expect(unauthorized?.code == .unauthorized)
            #expect(unauthorized?.description == "medic cannot list namespaces in all namespaces: the API server at \(server.url) rejected medic's credentials (401 Unauthorized); check the kubeconfig user's token, certificate or exec plugin, or that the service-account token is still valid")
        }
    }

    @Test("a 410 on a list is a typed gone error that says to list again; other kinds still list")
    func expired() async throws {
        let (objects, expected) = try cloudmartObjects()
        try await KubeFixtureServer.with(objects: objects, errors: [
            "GET /api/v1/namespaces/production/endpoints": ("client-status-expired.json", 410, [:]),
        ]) { server in
            let reader = KubeReader(connection: server.connection)
            let gone = await error { _ = try await reader.list(Endpoints.self, namespace: "production") }
            #expect(gone?.code == .gone)
            #expect(gone?.description == #"medic cannot list endpoints in namespace "production": the resourceVersion or continue token is too old (410 Expired): The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.; list again"#)
            let pods = try await reader.list(Pod.self).items
            #expect(pods == expected.pods)
        }
    }

    @Test("an unreachable server names the URL")
    func unreachable() async throws {
        let reader = KubeReader(connection: ClusterConnection(server: "http://127.0.0.1:9", proxy: .none))
        let failure = await error { _ = try await reader.list(Pod.self, namespace: "shop") }
        #expect(failure?.code == .unreachable)
        #expect(failure?.description.hasPrefix(#"medic cannot list pods in namespace "shop": cannot reach the API server at http://127.0.0.1:9: GET http://127.0.0.1:9/api/v1/namespaces/shop/pods?limit=500: could not connect"#) == true)
    }

    private func error(_ body: () async throws -> Void) async -> KubeAPIError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? KubeAPIError
        }
    }
}
