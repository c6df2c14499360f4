import Foundation
import Testing
import MedicKube
import MedicRunbook
@testable import MedicDiagnosis

/// The schema `medic lint` checks against must be exactly what enrichment builds: every
/// fixture's real views are compared with it, key by key and type by type, both ways.
@Suite struct ViewSchemaTests {
    static let fixtures = try! FileManager.default.contentsOfDirectory(atPath: RunbookFixtures.directory.path)
        .filter { $0.hasSuffix(".json") }.sorted()

    @Test func everyViewOfEveryFixtureHasExactlyTheSchemasFields() throws {
        var problems: [String] = []
        var seen = Set<String>()
        let clusters = try Self.fixtures.map { ($0, try RunbookFixtures.cluster($0)) }
            + [("a Service with an event", try Self.serviceWithEvent()),
               ("a database refusing its caller", try Self.callerRefused())]
        for (fixture, cluster) in clusters {
            for workload in cluster.workloads {
                check(WorkloadView.value(of: workload, in: cluster), ViewSchema.workload, "\(fixture): workload",
                      "workload", &problems, &seen)
                check(NamespaceView.value(named: workload.namespace, in: cluster), ViewSchema.namespace,
                      "\(fixture): namespace", "namespace", &problems, &seen)
            }
            for service in cluster.services {
                check(ServiceView.value(of: service, in: cluster), ViewSchema.service, "\(fixture): service",
                      "service", &problems, &seen)
            }
        }
        #expect(problems == [])
        // Every record of the schema was met at least once, so no part of it is unchecked.
        let records = recordPaths(ViewSchema.workload, "workload") + recordPaths(ViewSchema.service, "service")
            + recordPaths(ViewSchema.namespace, "namespace")
        #expect(records.filter { !seen.contains($0) } == [])
    }

    /// No fixture has an event on a Service; this one does, so `service.events[]` is compared too.
    static func serviceWithEvent() throws -> ClusterView {
        let json = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"},
               "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
              {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web.1", "namespace": "shop"},
               "involvedObject": {"kind": "Service", "name": "web", "namespace": "shop"},
               "reason": "SyncLoadBalancerFailed", "message": "no", "type": "Warning",
               "lastTimestamp": "2026-11-20T02:59:00Z", "count": 2}]}
            """
        return ClusterView(try Snapshot.decode(Data(json.utf8), source: "inline"))
    }

    /// No fixture has a caller whose last words say a dependency refused it (`rejectedCallers[]`),
    /// an RBAC refusal (`forbidden[]`), a wrong Service port or a chaos experiment.
    static func callerRefused() throws -> ClusterView {
        let json = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "db", "namespace": "shop"},
               "spec": {"selector": {"matchLabels": {"app": "db"}},
                        "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}}}},
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "shop"},
               "spec": {"selector": {"app": "db"}, "ports": [{"port": 5432}]}},
              {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "orders-1", "namespace": "shop", "labels": {"app": "orders"}},
               "spec": {"containers": [{"name": "orders", "image": "orders:1", "env": [{"name": "DB_ADDR", "value": "db:5433"}]}]},
               "status": {"phase": "Running", "containerStatuses": [{"name": "orders", "image": "orders:1", "ready": false,
                 "restartCount": 3, "lastState": {"terminated": {"exitCode": 1,
                   "message": "FATAL: password authentication failed for user orders (db:5432)"}}}]}},
              {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "cache", "namespace": "shop"},
               "spec": {"selector": {"matchLabels": {"app": "cache"}},
                        "template": {"metadata": {"labels": {"app": "cache"}}, "spec": {"containers": [{"name": "redis", "image": "redis:7"}]}}}},
              {"apiVersion": "chaos-mesh.org/v1alpha1", "kind": "PodChaos", "metadata": {"name": "kill", "namespace": "shop"},
               "spec": {"action": "pod-kill", "selector": {"labelSelectors": {"app": "orders"}}}},
              {"apiVersion": "medic.io/v1", "kind": "PodLog", "metadata": {"name": "orders-1", "namespace": "shop"},
               "container": "orders", "previous": true,
               "log": "pods is forbidden: User \\"system:serviceaccount:shop:orders\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"shop\\"\\ndial tcp: lookup cache on 10.96.0.10:53: no such host"}]}
            """
        return ClusterView(try Snapshot.decode(Data(json.utf8), source: "inline"))
    }

    @Test func resolveFollowsRecordsMapsAndNullables() {
        #expect(describe(ViewSchema.resolve(["workload", "containers"], from: ViewSchema.workload)) == "list of container")
        #expect(describe(ViewSchema.resolve(["c", "lastTermination", "finishedAt"], from: ViewSchema.container))
            == "timestamp or null")
        #expect(describe(ViewSchema.resolve(["workload", "labels", "app"], from: ViewSchema.workload)) == "string")
        #expect(describe(ViewSchema.resolve(["c", "lastTerminaton", "reason"], from: ViewSchema.container))
            == "c (container) has no field 'lastTerminaton' (did you mean 'lastTermination'?)")
        #expect(describe(ViewSchema.resolve(["workload", "containers", "name"], from: ViewSchema.workload))
            == "workload.containers is a list of container, it has no field 'name' (use [i] or a macro such as exists)")
        #expect(describe(ViewSchema.resolve(["namespace", "name", "first"], from: ViewSchema.namespace))
            == "namespace.name is a string, it has no field 'first'")
    }

    private func describe(_ result: Result<ViewSchema.FieldType, ViewSchema.Problem>) -> String {
        switch result {
        case .success(let type): type.description
        case .failure(let problem): problem.message
        }
    }

    private func recordPaths(_ type: ViewSchema.FieldType, _ path: String) -> [String] {
        switch type {
        case .record(_, let fields):
            [path] + fields.sorted { $0.key < $1.key }.flatMap { recordPaths($0.value, "\(path).\($0.key)") }
        case .list(let element): recordPaths(element, path + "[]")
        case .nullable(let inner), .map(let inner): recordPaths(inner, path)
        default: []
        }
    }

    private func check(_ value: CELValue, _ type: ViewSchema.FieldType, _ where_: String, _ path: String,
                       _ problems: inout [String], _ seen: inout Set<String>) {
        switch (type, value) {
        case (.nullable, .null): return
        case (.nullable(let inner), _): check(value, inner, where_, path, &problems, &seen)
        case (.string, .string), (.int, .int), (.double, .double), (.bool, .bool), (.timestamp, .timestamp),
             (.intOrString, .int), (.intOrString, .string):
            return
        case (.list(let element), .list(let items)):
            for item in items { check(item, element, where_, path + "[]", &problems, &seen) }
        case (.map(let inner), .map(let entries)):
            for (_, item) in entries { check(item, inner, where_, path, &problems, &seen) }
        case (.record(_, let fields), .map(let entries)):
            seen.insert(path)
            for key in Set(entries.keys).subtracting(fields.keys).sorted() {
                problems.append("\(where_): \(path).\(key) is in the view but not in ViewSchema")
            }
            for key in Set(fields.keys).subtracting(entries.keys).sorted() {
                problems.append("\(where_): \(path).\(key) is in ViewSchema but not in the view")
            }
            for (key, item) in entries {
                if let field = fields[key] { check(item, field, where_, "\(path).\(key)", &problems, &seen) }
            }
        default:
            problems.append("\(where_): \(path) is \(value.typeName) in the view but \(type) in ViewSchema")
        }
    }
}
