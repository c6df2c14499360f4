import Foundation
import MedicKube
import MedicProm
import MedicRemediation
import MedicRunbook
import Testing
@testable import MedicDiagnosis

/// A small cluster written as the API would return it: Deployments with one pod each and
/// Services selecting them by `app`.
private struct MiniCluster {
    var items: [[String: Any]] = []
    let namespace = "shop"

    mutating func deployment(_ name: String, env: [String: String] = [:], annotations: [String: String] = [:],
                             lastWords: String? = nil) {
        let labels = ["app": name]
        let container: [String: Any] = ["name": name, "image": "registry.example/\(name):1",
                                        "env": env.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }]
        items.append(["apiVersion": "apps/v1", "kind": "Deployment",
                      "metadata": ["name": name, "namespace": namespace, "uid": "uid-\(name)", "annotations": annotations,
                                   "creationTimestamp": "2026-11-19T00:00:00Z"],
                      "spec": ["replicas": 1, "selector": ["matchLabels": labels],
                               "template": ["metadata": ["labels": labels], "spec": ["containers": [container]]]],
                      "status": ["replicas": 1, "readyReplicas": 1]])
        var status: [String: Any] = ["name": name, "image": "registry.example/\(name):1", "ready": lastWords == nil,
                                     "restartCount": lastWords == nil ? 0 : 5]
        if let lastWords {
            status["lastState"] = ["terminated": ["exitCode": 1, "reason": "Error", "message": lastWords,
                                                  "finishedAt": "2026-11-20T02:58:00Z"]]
            status["state"] = ["waiting": ["reason": "CrashLoopBackOff",
                                           "message": "back-off 5m0s restarting failed container=\(name) pod=\(name)-abc"]]
        }
        items.append(["apiVersion": "v1", "kind": "Pod",
                      "metadata": ["name": "\(name)-abc", "namespace": namespace, "labels": labels,
                                   "ownerReferences": [["kind": "ReplicaSet", "name": "\(name)-5d9f", "controller": true,
                                                        "uid": "rs-\(name)", "apiVersion": "apps/v1"]]],
                      "spec": ["containers": [container]],
                      "status": ["phase": "Running", "containerStatuses": [status],
                                 "conditions": [["type": "Ready", "status": lastWords == nil ? "True" : "False"]]]])
        items.append(["apiVersion": "apps/v1", "kind": "ReplicaSet",
                      "metadata": ["name": "\(name)-5d9f", "namespace": namespace,
                                   "ownerReferences": [["kind": "Deployment", "name": name, "controller": true,
                                                        "uid": "uid-\(name)", "apiVersion": "apps/v1"]]],
                      "spec": ["selector": ["matchLabels": labels],
                               "template": ["metadata": ["labels": labels], "spec": ["containers": [container]]]]])
    }

    mutating func service(_ name: String, selecting app: String? = nil, type: String = "ClusterIP",
                          in namespace: String? = nil, clusterIP: String? = nil) {
        var spec: [String: Any] = ["type": type, "selector": ["app": app ?? name], "ports": [["port": 8080]]]
        if let clusterIP { spec["clusterIP"] = clusterIP }
        items.append(["apiVersion": "v1", "kind": "Service", "metadata": ["name": name, "namespace": namespace ?? self.namespace],
                      "spec": spec])
    }

    var view: ClusterView {
        get throws {
            let data = try JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "List", "items": items])
            return ClusterView(try Snapshot.decode(data, source: "mini-cluster"))
        }
    }

    func ref(_ name: String, _ kind: String = "Deployment") -> ObjectRef {
        ObjectRef(kind: kind, namespace: namespace, name: name)
    }
}

private func finding(_ runbook: String, on target: ObjectRef, _ severity: Runbook.Severity = .high) -> Finding {
    Finding(runbook: runbook, severity: severity, target: target, summary: "\(target.name) fails (\(runbook))",
            evidence: [], actions: [], conditions: [])
}

/// Triage findings and `overload` can be a dependency's symptom, RED symptoms a fault's too;
/// the others are causes.
private let explainedBy: [String: Set<Runbook.Cause>] = [
    "unhealthy-workload": [.dependency], "overload": [.dependency], "bad-image": [], "selector-mismatch": [],
    "error-rate-rise": [.dependency, .fault], "traffic-drop": [.fault, .caller],
]

private func group(_ findings: [Finding], in cluster: MiniCluster) throws -> (findings: [Finding], incidents: [Incident]) {
    Incident.group(findings, rules: CausalRule.all, graph: ServiceGraph(try cluster.view), explainedBy: explainedBy)
}

@Suite struct ServiceGraphTests {
    @Test func callsAreReadFromEnvironmentAnnotationAndLastWords() throws {
        var cluster = MiniCluster()
        cluster.deployment("api", env: ["DATABASE_URL": "postgres://orders:secret@db:5432/orders", "MODE": "cache"],
                           annotations: [ServiceGraph.dependsOnAnnotation: "payments, nowhere"],
                           lastWords: "dial tcp: lookup cache.shop.svc.cluster.local:6379: connection refused")
        for name in ["db", "payments", "cache", "api"] {
            if name != "api" { cluster.deployment(name) }
            cluster.service(name)
        }
        let graph = ServiceGraph(try cluster.view)
        let calls = graph.dependencies(of: cluster.ref("api"))
        #expect(calls.map(\.service.name) == ["cache", "db", "payments"])
        #expect(calls.map(\.source) == [.log, .environment, .annotation])
        // Its own Service is its address, not a dependency; a named Service that does not exist is no call.
        #expect(!calls.contains { $0.service.name == "api" || $0.service.name == "nowhere" })
    }

    /// Go's resolver names the DNS Service by its cluster IP: that is a call to kube-system/kube-dns.
    @Test func aClusterIPInLastWordsIsACallToItsService() throws {
        var cluster = MiniCluster()
        cluster.deployment("geo", lastWords: "dial tcp: lookup consul on 10.96.0.10:53: read udp: i/o timeout")
        cluster.service("kube-dns", selecting: "coredns", in: "kube-system", clusterIP: "10.96.0.10")
        cluster.service("consul", clusterIP: "10.96.0.11")
        let graph = ServiceGraph(try cluster.view)
        #expect(graph.dependencies(of: cluster.ref("geo")).map(\.service)
            == [ObjectRef(kind: "Service", namespace: "kube-system", name: "kube-dns")])
        #expect(CallerLastWords.addressedIPs(in: "to 10.96.0.10:53 and 300.1.1.1:80 and 1.2.3:4") == ["10.96.0.10"])
    }

    @Test func hostsAreAddressesNotWords() {
        let text = "connecting to db:5432 and http://users/login; mode cache; see https://example.com:443 or other.elsewhere:80"
        #expect(CallerLastWords.hosts(in: text, namespace: "shop") == ["db", "users"])
        #expect(CallerLastWords.hosts(in: "redis.shop.svc:6379 redis.other.svc:6379", namespace: "shop") == ["redis"])
    }

    /// Services an Ingress or an HTTPRoute routes to are entry points; a route to a Service
    /// that does not exist, or to a backend that is no Service, adds none.
    @Test func routesMakeEntryPoints() throws {
        var cluster = MiniCluster()
        cluster.deployment("web", env: ["API_ADDR": "api:8080"])
        cluster.service("web")
        cluster.deployment("api")
        cluster.service("api")
        cluster.deployment("shop")
        cluster.service("shop", in: "store")
        cluster.items.append(["apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                              "metadata": ["name": "public", "namespace": "shop"],
                              "spec": ["rules": [["host": "shop.example", "http": ["paths": [
                                  ["path": "/", "pathType": "Prefix", "backend": ["service": ["name": "web", "port": ["number": 8080]]]],
                                  ["path": "/gone", "pathType": "Prefix", "backend": ["service": ["name": "gone", "port": ["number": 80]]]],
                                  ["path": "/static", "pathType": "Prefix", "backend": ["resource": ["kind": "StorageBucket", "name": "assets"]]],
                              ]]]]]])
        cluster.items.append(["apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                              "metadata": ["name": "store", "namespace": "shop"],
                              "spec": ["parentRefs": [["name": "gateway"]], "rules": [["backendRefs": [
                                  ["name": "shop", "namespace": "store", "port": 8080],
                                  ["group": "example.io", "kind": "Bucket", "name": "api"],
                              ]]]]])
        let view = try cluster.view
        #expect(view.routedServices.map(\.route) == ["Ingress shop/public", "Ingress shop/public", "HTTPRoute shop/store"])
        let graph = ServiceGraph(view)
        #expect(graph.entryPoints == [cluster.ref("web", "Service"), ObjectRef(kind: "Service", namespace: "store", name: "shop")])
        #expect(graph.entryPoints(reaching: cluster.ref("api")) == [cluster.ref("web", "Service")])
        #expect(graph.routes[cluster.ref("web", "Service")] == ["Ingress shop/public"])
        // An incident's impact names the route users come in by.
        let image = finding("bad-image", on: cluster.ref("api"))
        let grouped = Incident.group([image], rules: CausalRule.all, graph: graph, explainedBy: explainedBy)
        #expect(grouped.incidents.first?.impact == [Incident.Impact(entryPoint: cluster.ref("web", "Service"), rootCause: image.id,
                                                                    via: ["Ingress shop/public"])])
    }

    /// A request counter with both ends adds the call the objects do not show: medic's
    /// convention by the calling Service, Istio's by the calling workload. A target that is no
    /// Service, or an answer that is missing, adds nothing.
    @Test func metricsShowCallsTheObjectsDoNot() throws {
        var cluster = MiniCluster()
        cluster.deployment("queue-master")
        cluster.service("queue-master")
        cluster.deployment("shipping")
        cluster.deployment("rabbitmq")
        cluster.service("rabbitmq")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func series(_ labels: [String: String]) -> Series {
            Series(labels: labels, samples: [Sample(time: now, value: 2)])
        }
        let metrics: [String: MetricData] = [
            MetricCalls.queries[0]: .series([
                series(["namespace": "shop", "service": "queue-master", "target": "rabbitmq"]),
                series(["namespace": "shop", "service": "queue-master", "target": "api.example.com"]),
            ]),
            MetricCalls.queries[1]: .series([
                series(["source_workload_namespace": "shop", "source_workload": "shipping",
                        "destination_service_namespace": "shop", "destination_service_name": "rabbitmq"]),
            ]),
        ]
        let graph = ServiceGraph(try cluster.view, metricCalls: MetricCalls.edges(in: metrics))
        #expect(graph.dependencies(of: cluster.ref("queue-master")).map(\.service) == [cluster.ref("rabbitmq", "Service")])
        #expect(graph.dependencies(of: cluster.ref("queue-master")).map(\.source) == [.metrics])
        #expect(graph.dependencies(of: cluster.ref("shipping")).map(\.detail) == ["istio_requests_total"])
        #expect(ServiceGraph(try cluster.view, metricCalls: MetricCalls.edges(in: [MetricCalls.queries[0]: .unavailable(reason: "down")]))
            .dependencies(of: cluster.ref("queue-master")).isEmpty)

        // The link it makes, and its reason.
        let symptom = finding("unhealthy-workload", on: cluster.ref("queue-master"))
        let cause = finding("bad-image", on: cluster.ref("rabbitmq"))
        let linked = Incident.group([symptom, cause], rules: CausalRule.all, graph: graph, explainedBy: explainedBy)
        #expect(linked.incidents.first?.links.first?.reason
            == "queue-master calls Service rabbitmq (http_client_requests_total counts its calls), and rabbitmq behind it fails")
    }

    @Test func entryPointsReachThroughCallsAndSelections() throws {
        var cluster = MiniCluster()
        cluster.deployment("frontend", env: ["API_ADDR": "api:8080"])
        cluster.service("frontend", type: "LoadBalancer")
        cluster.deployment("api", env: ["DB_HOST": "db"])
        cluster.service("api")
        cluster.deployment("db")
        cluster.service("db")
        cluster.deployment("batch")
        let graph = ServiceGraph(try cluster.view)
        #expect(graph.entryPoints == [cluster.ref("frontend", "Service")])
        #expect(graph.entryPoints(reaching: cluster.ref("db")) == [cluster.ref("frontend", "Service")])
        #expect(graph.entryPoints(reaching: cluster.ref("batch")).isEmpty)
        let named = ServiceGraph(try cluster.view, entryPoints: [cluster.ref("api", "Service")])
        #expect(named.entryPoints(reaching: cluster.ref("db")).count == 2)
    }
}

@Suite struct IncidentTests {
    /// api crash-loops because the database it calls has a bad image: one incident, the image first.
    @Test func failingDependencyIsTheRootCause() throws {
        var cluster = MiniCluster()
        cluster.deployment("frontend", env: ["API_ADDR": "api:8080"])
        cluster.service("frontend", type: "NodePort")
        cluster.deployment("api", env: ["DATABASE_URL": "postgres://db:5432/orders"])
        cluster.service("api")
        cluster.deployment("db")
        cluster.service("db")
        let symptom = finding("unhealthy-workload", on: cluster.ref("api"), .critical)
        let cause = finding("bad-image", on: cluster.ref("db"))
        let result = try group([symptom, cause], in: cluster)
        #expect(result.findings.map(\.id) == [cause.id, symptom.id])
        #expect(result.findings[1].causedBy == [cause.id])
        #expect(result.findings[0].causedBy.isEmpty)
        let incident = try #require(result.incidents.first)
        #expect(result.incidents.count == 1)
        #expect(incident.id == cause.id && incident.rootCauses == [cause.id] && incident.symptoms == [symptom.id])
        #expect(incident.severity == .critical)
        #expect(incident.impact == [.init(entryPoint: cluster.ref("frontend", "Service"), rootCause: cause.id)])
        #expect(incident.links.first?.reason == "api calls Service db (api env DATABASE_URL names it), and db behind it fails")
    }

    /// A specific failure on the caller is a fault of its own, even when its dependency fails too.
    @Test func aSpecificFindingIsNeverASymptom() throws {
        var cluster = MiniCluster()
        cluster.deployment("api", env: ["DB_HOST": "db"])
        cluster.deployment("db")
        cluster.service("db")
        let result = try group([finding("bad-image", on: cluster.ref("api")), finding("bad-image", on: cluster.ref("db"))],
                               in: cluster)
        #expect(result.incidents.count == 2)
        #expect(result.findings.allSatisfy { $0.causedBy.isEmpty })
    }

    /// A caller that crashes because a Service it names selects nothing: the selector is the cause.
    @Test func aBrokenServiceExplainsItsCallers() throws {
        var cluster = MiniCluster()
        cluster.deployment("api", lastWords: "panic: dial tcp payments:8080: i/o timeout")
        cluster.service("payments", selecting: "payment")
        let cause = finding("selector-mismatch", on: cluster.ref("payments", "Service"), .critical)
        let symptom = finding("unhealthy-workload", on: cluster.ref("api"))
        let result = try group([symptom, cause], in: cluster)
        #expect(result.findings.first?.id == cause.id)
        #expect(result.findings.last?.causedBy == [cause.id])
        #expect(result.incidents.first?.links.first?.reason.contains("api's last words name it") == true)
    }

    /// Two unhealthy workloads that call each other: one link is kept, so one root cause remains.
    @Test func aCycleLeavesOneRootCause() throws {
        var cluster = MiniCluster()
        cluster.deployment("a", env: ["B_HOST": "b"])
        cluster.service("a")
        cluster.deployment("b", env: ["A_HOST": "a"])
        cluster.service("b")
        let result = try group([finding("unhealthy-workload", on: cluster.ref("a")),
                                finding("unhealthy-workload", on: cluster.ref("b"))], in: cluster)
        #expect(result.incidents.count == 1)
        #expect(result.incidents[0].rootCauses.count == 1 && result.incidents[0].symptoms.count == 1)
    }

    /// A chain: frontend ← api ← db. Each symptom names its own cause; the root is the far end.
    @Test func chainsEndAtTheDeepestCause() throws {
        var cluster = MiniCluster()
        cluster.deployment("frontend", env: ["API_ADDR": "api:8080"])
        cluster.deployment("api", env: ["DB_HOST": "db"])
        cluster.service("api")
        cluster.deployment("db")
        cluster.service("db")
        let frontend = finding("overload", on: cluster.ref("frontend"))
        let api = finding("unhealthy-workload", on: cluster.ref("api"))
        let db = finding("bad-image", on: cluster.ref("db"))
        let result = try group([frontend, api, db], in: cluster)
        #expect(result.incidents.map(\.rootCauses) == [[db.id]])
        #expect(result.findings.first { $0.id == frontend.id }?.causedBy == [api.id])
        #expect(result.findings.first { $0.id == api.id }?.causedBy == [db.id])
    }

    /// Random graphs and fault sets: every finding is in exactly one incident, every incident
    /// has a root cause, and no root cause is a symptom of anything.
    @Test func randomGraphsAlwaysHaveRootCauses() throws {
        var generator = SystemRandomNumberGenerator()
        let runbooks = ["unhealthy-workload", "overload", "bad-image"]
        for _ in 0..<200 {
            var cluster = MiniCluster()
            let count = Int.random(in: 2...7, using: &generator)
            let names = (0..<count).map { "w\($0)" }
            for name in names {
                let targets = names.filter { $0 != name && Bool.random(using: &generator) }
                let env = Dictionary(uniqueKeysWithValues: targets.map { ("\($0.uppercased())_HOST", $0) })
                cluster.deployment(name, env: env)
                cluster.service(name)
            }
            let findings = names.filter { _ in Bool.random(using: &generator) }.map {
                finding(runbooks.randomElement(using: &generator)!, on: cluster.ref($0))
            }
            let result = try group(findings, in: cluster)
            #expect(Set(result.findings.map(\.id)) == Set(findings.map(\.id)))
            #expect(result.incidents.flatMap { $0.rootCauses + $0.symptoms }.count == findings.count)
            for incident in result.incidents {
                #expect(!incident.rootCauses.isEmpty)
                for root in incident.rootCauses {
                    #expect(result.findings.first { $0.id == root }?.causedBy.isEmpty == true)
                }
            }
            for symptom in result.findings where !symptom.causedBy.isEmpty {
                #expect(explainedBy[symptom.runbook]?.contains(.dependency) == true)
            }
        }
    }
}

/// RED symptoms (a Service's 5xx share) under the faults that explain them: `fault-behind`, and
/// `failing-dependency` read through the workloads a Service selects.
@Suite struct SymptomIncidentTests {
    /// The gateway answers 503 because its selector matches no pod: the selector is the cause.
    @Test func aServicesErrorsAreASymptomOfItsOwnFault() throws {
        var cluster = MiniCluster()
        cluster.deployment("gateway")
        cluster.service("gateway", selecting: "nginx-gateway", type: "LoadBalancer")
        let errors = finding("error-rate-rise", on: cluster.ref("gateway", "Service"))
        let selector = finding("selector-mismatch", on: cluster.ref("gateway", "Service"), .critical)
        let result = try group([errors, selector], in: cluster)
        #expect(result.incidents.map(\.rootCauses) == [[selector.id]])
        #expect(result.incidents.first?.symptoms == [errors.id])
        #expect(result.findings.map(\.id) == [selector.id, errors.id])
        #expect(result.incidents.first?.links.first?.rule == "fault-behind")
        #expect(result.incidents.first?.links.first?.reason == "Service gateway itself has the fault")
    }

    /// The order path: orders has a bad image, so Service orders fails, and Service api, whose
    /// pods call orders, fails too. One incident, the image its only root cause.
    @Test func errorsAlongACallPathEndAtTheFault() throws {
        var cluster = MiniCluster()
        cluster.deployment("api", env: ["ORDER_URL": "http://orders:8080"])
        cluster.service("api")
        cluster.deployment("orders")
        cluster.service("orders")
        let apiErrors = finding("error-rate-rise", on: cluster.ref("api", "Service"))
        let orderErrors = finding("error-rate-rise", on: cluster.ref("orders", "Service"))
        let image = finding("bad-image", on: cluster.ref("orders"))
        let result = try group([apiErrors, orderErrors, image], in: cluster)
        #expect(result.incidents.count == 1)
        #expect(result.incidents.first?.rootCauses == [image.id])
        #expect(result.findings.first { $0.id == orderErrors.id }?.causedBy == [image.id])
        // A fault on the path is the cause, not the errors it makes along the way.
        #expect(result.findings.first { $0.id == apiErrors.id }?.causedBy == [image.id])
        let link = result.incidents.first?.links.first { $0.symptom == apiErrors.id }
        #expect(link?.reason == "Service api sends to api, which calls Service orders (api env ORDER_URL names it), and orders behind it fails")
    }

    /// Without a fault on the dependency, its errors explain the caller's crash loop, and stay
    /// the root cause medic can name.
    @Test func aDependencysErrorsStandInWhenNoFaultIsFound() throws {
        var cluster = MiniCluster()
        cluster.deployment("api", env: ["DB_HOST": "db"])
        cluster.deployment("db")
        cluster.service("db")
        let crash = finding("unhealthy-workload", on: cluster.ref("api"))
        let errors = finding("error-rate-rise", on: cluster.ref("db", "Service"))
        let result = try group([crash, errors], in: cluster)
        #expect(result.incidents.map(\.rootCauses) == [[errors.id]])
        #expect(result.findings.first { $0.id == crash.id }?.causedBy == [errors.id])
    }

    /// Layers: the selector replaces the triage "no endpoints" on the Service, but the Service's
    /// errors are no explanation and stay beside it.
    @Test func aSymptomStaysBesideTheFaultOnItsTarget() throws {
        var cluster = MiniCluster()
        cluster.deployment("api")
        cluster.service("api", selecting: "apiserver")
        let service = cluster.ref("api", "Service")
        let kept = Diagnoser.layered([finding("error-rate-rise", on: service), finding("selector-mismatch", on: service),
                                      finding("service-no-endpoints", on: service)],
                                     layers: ["error-rate-rise": .symptom, "selector-mismatch": .specific,
                                              "service-no-endpoints": .triage],
                                     cluster: try cluster.view)
        #expect(kept.map(\.runbook) == ["error-rate-rise", "selector-mismatch"])
    }

    /// The API's requests fell away because the gateway's Service selects no pod: no request
    /// reaches the gateway, so none reaches the API. The gateway Service's selector is the cause,
    /// found through the workload it was meant for.
    @Test func aServiceStarvedByTheServiceInFrontOfItsCaller() throws {
        var cluster = MiniCluster()
        cluster.deployment("gateway", env: ["API_URL": "http://api:8080"])
        cluster.service("gateway", selecting: "nginx-gateway", type: "LoadBalancer")
        cluster.deployment("api")
        cluster.service("api")
        let drop = finding("traffic-drop", on: cluster.ref("api", "Service"))
        let selector = finding("selector-mismatch", on: cluster.ref("gateway", "Service"), .critical)
        let result = try group([drop, selector], in: cluster)
        #expect(result.findings.first { $0.id == drop.id }?.causedBy == [selector.id])
        #expect(result.incidents.map(\.rootCauses) == [[selector.id]])
        let link = try #require(result.incidents.first?.links.first)
        #expect(link.rule == "starved-by-caller")
        #expect(link.reason == "gateway sends Service api its requests, and they reach gateway through Service gateway, which has the fault")
    }

    /// A caller with a fault of its own starves what it calls; a Service nobody with a fault
    /// calls keeps its drop as a root of its own, and a drop never explains its caller's fault.
    @Test func aServiceStarvedByAFailingCaller() throws {
        var cluster = MiniCluster()
        cluster.deployment("web", env: ["API_URL": "http://api:8080"])
        cluster.service("web")
        cluster.deployment("api")
        cluster.service("api")
        cluster.deployment("batch")
        cluster.service("batch")
        let drop = finding("traffic-drop", on: cluster.ref("api", "Service"))
        let image = finding("bad-image", on: cluster.ref("web"))
        let lonely = finding("traffic-drop", on: cluster.ref("batch", "Service"))
        let result = try group([drop, image, lonely], in: cluster)
        #expect(result.findings.first { $0.id == drop.id }?.causedBy == [image.id])
        #expect(result.findings.first { $0.id == image.id }?.causedBy == [])
        #expect(result.findings.first { $0.id == lonely.id }?.causedBy == [])
        #expect(result.incidents.flatMap(\.links).first { $0.symptom == drop.id }?.reason
                == "web sends Service api its requests, and has the fault")
        // Nor is a drop its dependencies' doing: api calling a broken database loses no requests by it.
        cluster.deployment("db")
        cluster.service("db")
        var calling = cluster
        calling.deployment("api2", env: ["DB_URL": "postgres://db:5432/app"])
        calling.service("api2")
        let starved = finding("traffic-drop", on: calling.ref("api2", "Service"))
        let database = finding("bad-image", on: calling.ref("db"))
        #expect(try group([starved, database], in: calling).findings.first { $0.id == starved.id }?.causedBy == [])
        // The built-in runbooks say so: a runbook naming its causes gets no others from its layer.
        let runbooks = try RunbookLoader.loadDirectory(RunbookFixtures.runbookDirectory)
        #expect(runbooks.first { $0.id == "traffic-drop" }?.explainedBy == [.caller, .fault])
        #expect(runbooks.first { $0.id == "error-rate-rise" }?.explainedBy == [.dependency, .fault])
        #expect(runbooks.first { $0.id == "unhealthy-workload" }?.explainedBy == [.dependency])
        // And a drop is never its caller's cause: stock-service's pool leak starves postgres, and
        // the leak stays the root (CI found the other way round: medic then waited on the drop).
        var pool = MiniCluster()
        pool.deployment("stock", env: ["DATABASE_URL": "postgres://postgres:5432/stock"])
        pool.service("stock")
        pool.deployment("postgres")
        pool.service("postgres")
        let leak = finding("overload", on: pool.ref("stock"))
        let quiet = finding("traffic-drop", on: pool.ref("postgres", "Service"))
        let pooled = try group([leak, quiet], in: pool)
        #expect(pooled.findings.first { $0.id == leak.id }?.causedBy == [])
        #expect(pooled.findings.first { $0.id == quiet.id }?.causedBy == [leak.id])
        #expect(pooled.incidents.map(\.rootCauses) == [[leak.id]])
        // The errors of a Service are not its callers' doing: only a drop is read this way.
        let errors = finding("error-rate-rise", on: cluster.ref("api", "Service"))
        #expect(try group([errors, image], in: cluster).findings.first { $0.id == errors.id }?.causedBy == [])
    }

    /// A symptom is never the cause of a fault on its own object: the image stays the root.
    @Test func aSymptomNeverExplainsAFault() throws {
        var cluster = MiniCluster()
        cluster.deployment("api")
        cluster.service("api")
        let errors = finding("error-rate-rise", on: cluster.ref("api", "Service"))
        let image = finding("bad-image", on: cluster.ref("api"))
        let result = try group([errors, image], in: cluster)
        #expect(result.findings.first { $0.id == image.id }?.causedBy == [])
        #expect(result.findings.first { $0.id == errors.id }?.causedBy == [image.id])
    }
}

@Suite struct IncidentDiagnosisTests {
    /// The built-in runbooks end to end: a Service that selects nothing makes its caller crash;
    /// the report leads with the selector, and the crash loop is its symptom.
    @Test func theReportLeadsWithTheCauseAndGroupsItsSymptom() throws {
        var cluster = MiniCluster()
        cluster.deployment("frontend", env: ["API_ADDR": "api:8080"])
        cluster.service("frontend", type: "LoadBalancer")
        cluster.deployment("api", lastWords: "panic: dial tcp payments.shop.svc.cluster.local:8080: connect: connection refused")
        cluster.service("api")
        cluster.deployment("payments")
        cluster.service("payments", selecting: "payment")
        let runbooks = try RunbookLoader.loadDirectory(RunbookFixtures.runbookDirectory)
        let report = Diagnoser(runbooks: runbooks).diagnose(try cluster.view, metrics: [:],
                                                            options: .init(now: RunbookFixtures.instant))
        #expect(report.findings.map(\.runbook) == ["selector-mismatch", "unhealthy-workload"])
        let incident = try #require(report.incidents.first)
        #expect(report.incidents.count == 1)
        #expect(incident.rootCauses == ["selector-mismatch/Service/shop/payments"])
        #expect(incident.symptoms == ["unhealthy-workload/Deployment/shop/api"])
        #expect(incident.impact.map(\.entryPoint) == [cluster.ref("frontend", "Service")])
        #expect(report.findings[1].causedBy == ["selector-mismatch/Service/shop/payments"])
    }
}

@Suite struct FixOrderTests {
    private func finding(_ runbook: String, _ action: Action, on target: ObjectRef) -> Finding {
        Finding(runbook: runbook, severity: .high, target: target, summary: runbook, evidence: [],
                actions: [ProposedAction(remediation: Remediation(target: target, action: action), decision: "proposed")],
                conditions: [])
    }

    private func incidents(_ findings: [Finding]) -> [Incident] {
        findings.map { Incident(id: $0.id, severity: $0.severity, rootCauses: [$0.id], symptoms: [], impact: [], links: []) }
    }

    /// CloudMart: pasting "set env CHAOS_FAILURE_RATE=0" before "rollout undo" would bring the flag back.
    @Test func theRollbackComesBeforeTheChangeItWouldUndo() {
        let database = ObjectRef(kind: "Deployment", namespace: "production", name: "database-service")
        let other = ObjectRef(kind: "Deployment", namespace: "production", name: "auth-service")
        let chaos = finding("chaos-flag", .setImage(container: "database", image: "cloudmart/database:1.4"), on: database)
        let resources = finding("overload", .scale(replicas: 3), on: other)
        let undo = finding("missing-env", .rolloutUndo(toRevision: 3), on: database)
        let planned = FixOrder.arrange([chaos, resources, undo], incidents([chaos, resources, undo]))
        #expect(planned.findings.map(\.runbook) == ["missing-env", "chaos-flag", "overload"])
        #expect(planned.incidents.map(\.id) == [undo.id, chaos.id, resources.id])
        #expect(planned.findings[1].evidence.last?.hasPrefix("order: apply after the rollback of Deployment production/database-service (missing-env)") == true)
        #expect(planned.findings[2].evidence.isEmpty)
    }

    @Test func fixesOnDifferentWorkloadsKeepTheirOrder() {
        let a = ObjectRef(kind: "Deployment", namespace: "shop", name: "a")
        let b = ObjectRef(kind: "Deployment", namespace: "shop", name: "b")
        let first = finding("chaos-flag", .setImage(container: "a", image: "a:2"), on: a)
        let second = finding("missing-env", .rolloutUndo(toRevision: 1), on: b)
        let planned = FixOrder.arrange([first, second], incidents([first, second]))
        #expect(planned.findings.map(\.id) == [first.id, second.id])
        #expect(planned.findings.allSatisfy { $0.evidence.isEmpty })
    }
}

@Suite struct SecretRedactionTests {
    /// A password in an address medic fixes, and in a crash log: the report never shows it, the
    /// request keeps it, and the command says what it masked.
    @Test func noSecretReachesTheReport() throws {
        var cluster = MiniCluster()
        cluster.deployment("orders", env: ["DATABASE_URL": "postgres://orders:hunter2@databse:5432/orders"],
                           lastWords: "FATAL: could not connect to postgres://orders:hunter2@databse:5432 (DB_PASSWORD=hunter2)")
        cluster.deployment("database")
        cluster.service("database")
        let runbooks = try RunbookLoader.loadDirectory(RunbookFixtures.runbookDirectory)
        let report = Diagnoser(runbooks: runbooks).diagnose(try cluster.view, metrics: [:],
                                                            options: .init(now: RunbookFixtures.instant))
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(report.findings.contains { $0.runbook == "dangling-service-ref" })
        #expect(!json.contains("hunter2"), "\(json)")
        let fix = try #require(report.findings.first { $0.runbook == "dangling-service-ref" }?.actions.first)
        #expect(fix.command?.contains("DATABASE_URL=postgres://orders:****@database:5432/orders") == true)
        #expect(fix.command?.hasSuffix("put the real one back before running") == true)
        let setEnv = try #require(fix.remediation.action.as(SetEnv.self))
        #expect(setEnv.variables.map(\.value) == ["postgres://orders:hunter2@database:5432/orders"])
    }
}
