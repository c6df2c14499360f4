import Foundation
import Testing
import MedicKube
@testable import MedicDiagnosis

/// `ClusterView(_:reusing:)`: `medic run` builds a view per pass and takes what the last one
/// derived about unchanged objects from it. What is reused must be what would be derived again.
@Suite struct ClusterViewReuseTests {
    static func deployment(version: String?, url: String) throws -> Deployment {
        let version = version.map { #", "resourceVersion": "\#($0)""# } ?? ""
        return try JSONDecoder().decode(Deployment.self, from: Data("""
            {"metadata": {"name": "web", "namespace": "shop"\(version)},
             "spec": {"selector": {"matchLabels": {"app": "web"}},
                      "template": {"metadata": {"labels": {"app": "web"}},
                                   "spec": {"containers": [{"name": "app", "image": "web:1",
                                                            "env": [{"name": "BACKEND_URL", "value": "\(url)"}]}]}}}}
            """.utf8))
    }

    static func service(_ name: String) throws -> Service {
        try JSONDecoder().decode(Service.self, from: Data("""
            {"metadata": {"name": "\(name)", "namespace": "shop"}, "spec": {"selector": {"app": "\(name)"}}}
            """.utf8))
    }

    static func called(_ view: ClusterView) -> [String] {
        view.workloads.flatMap { view.calls(of: $0) }.map(\.service)
    }

    @Test("a workload's calls are read again when its resourceVersion or its namespace's Services change, and only then")
    func callsFollowVersionsAndServices() throws {
        let services = [try Self.service("db"), try Self.service("cache")]
        let first = ClusterView(Snapshot(deployments: [try Self.deployment(version: "7", url: "http://db:5432")], services: services))
        #expect(Self.called(first) == ["db"])

        // Same version: the object is the one the first view read, so its calls are reused.
        // (A server never changes an object without a new version; this one pretends to, to
        // show that the first view's answer is the one given.)
        let sameVersion = Snapshot(deployments: [try Self.deployment(version: "7", url: "http://cache:6379")], services: services)
        #expect(Self.called(ClusterView(sameVersion, reusing: first)) == ["db"])

        let newVersion = Snapshot(deployments: [try Self.deployment(version: "8", url: "http://cache:6379")], services: services)
        #expect(Self.called(ClusterView(newVersion, reusing: first)) == ["cache"])

        // The Service it calls is gone: the calls are read again though the workload is the same.
        let serviceGone = Snapshot(deployments: [try Self.deployment(version: "7", url: "http://db:5432")], services: [services[1]])
        #expect(Self.called(ClusterView(serviceGone, reusing: first)).isEmpty)

        // Without versions (a snapshot file), nothing is reused.
        let unversioned = ClusterView(Snapshot(deployments: [try Self.deployment(version: nil, url: "http://db:5432")], services: services))
        let changed = Snapshot(deployments: [try Self.deployment(version: nil, url: "http://cache:6379")], services: services)
        #expect(Self.called(ClusterView(changed, reusing: unversioned)) == ["cache"])
    }
}
