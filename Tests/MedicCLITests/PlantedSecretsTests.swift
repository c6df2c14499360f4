import Foundation
import KubeSim
import MedicKube
import Testing

/// Secrets planted where a real cluster keeps them (literal env values named like secrets and
/// not, a URL's password, tokens, an Event quoting a bearer token), then every output medic
/// makes is searched for them: advise's text and JSON, `medic run`'s log lines and audit
/// records on stdout, the audit log, the Events it writes, and the Remediation objects.
@Suite("planted secrets reach no output", .serialized, .timeLimit(.minutes(3)))
struct PlantedSecretsTests {
    static let secrets = [
        "Plant3dPassw0rd", "Plant3dUrlPw", "sk_live_Plant3dT0kenAbcdefghijklmnop",
        "xoxb-1234567890-Plant3dSlackTok3n", "Plant3dBearerTok3n0123456789",
        "Plant3dHookSecretXyz0123456789ABCD",
    ]

    /// The chaos fixture (a fault-injection flag left on, which medic switches off with set-env)
    /// with the secrets planted in the Deployment's and the Pod's env and in an Event.
    static func plantedFixture() throws -> Data {
        let url = MedicBinary.fixtures.appendingPathComponent("chaos-on.json")
        var list = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let planted: [[String: String]] = [
            ["name": "DB_PASSWORD", "value": "Plant3dPassw0rd"],
            ["name": "ORDERS_DSN", "value": "postgres://inventory:Plant3dUrlPw@inventory-db:5432/inventory"],
            ["name": "PAYMENTS", "value": "sk_live_Plant3dT0kenAbcdefghijklmnop"],
            ["name": "NOTIFY", "value": "xoxb-1234567890-Plant3dSlackTok3n"],
            ["name": "HOOK", "value": "https://hooks.example/services/T01/B01/Plant3dHookSecretXyz0123456789ABCD"],
        ]
        var items = try #require(list["items"] as? [[String: Any]])
        for index in items.indices where ["Deployment", "Pod", "ReplicaSet"].contains(items[index]["kind"] as? String) {
            let path = items[index]["kind"] as? String == "Pod" ? ["spec"] : ["spec", "template", "spec"]
            var object = items[index]
            var spec = try #require(path.reduce(object as Any?) { ($0 as? [String: Any])?[$1] } as? [String: Any])
            var containers = try #require(spec["containers"] as? [[String: Any]])
            containers[0]["env"] = ((containers[0]["env"] as? [[String: String]]) ?? []) + planted
            spec["containers"] = containers
            if path.count == 1 {
                object["spec"] = spec
            } else {
                var outer = try #require(object["spec"] as? [String: Any])
                var template = try #require(outer["template"] as? [String: Any])
                template["spec"] = spec
                outer["template"] = template
                object["spec"] = outer
            }
            items[index] = object
        }
        items.append([
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": "inventory.planted", "namespace": "production"],
            "involvedObject": ["kind": "Deployment", "namespace": "production", "name": "inventory"],
            "reason": "Unhealthy", "type": "Warning", "count": 3,
            "message": "Readiness probe failed: GET /ready with Authorization: Bearer Plant3dBearerTok3n0123456789 returned 503",
            "lastTimestamp": "2026-11-20T02:59:00Z",
        ])
        list["items"] = items
        return try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
    }

    static func expectNoSecret(in text: String, _ place: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            #expect(!text.contains(secret), "\(place) holds \(secret)", sourceLocation: sourceLocation)
        }
    }

    @Test("advise, text and JSON: the finding is there, the secrets are not")
    func advise() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-planted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let snapshot = scratch.appendingPathComponent("cluster.json")
        try Self.plantedFixture().write(to: snapshot)
        #expect(try String(contentsOf: snapshot, encoding: .utf8).contains("Plant3dPassw0rd"), "the fixture holds them")
        for format in [["--output", "text"], ["--output", "json"]] {
            let advise = try await MedicBinary.runOffPool(["advise", "--snapshot", snapshot.path, "--at", MedicBinary.instant] + format)
            #expect(advise.status == 1, "\(advise.stderr)")
            #expect(advise.stdout.contains("CHAOS_FAILURE_RATE"))
            Self.expectNoSecret(in: advise.stdout + advise.stderr, "medic advise \(format[1])")
        }
    }

    @Test("medic run in apply mode: its log, its audit records, its Events and its Remediation objects hold no secret")
    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-planted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sim = KubeSim()
        try sim.load(manifests: try String(contentsOf: MedicBinary.repository.appendingPathComponent("deploy/base/crd-remediations.yaml"),
                                           encoding: .utf8))
        try sim.load(manifests: String(decoding: try Self.plantedFixture(), as: UTF8.self))
        let server = try await sim.start()
        let kubeconfig = scratch.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        let policy = scratch.appendingPathComponent("policy.yaml")
        try """
            apiVersion: medic.io/v1
            kind: Policy
            metadata: {name: planted}
            spec:
              mode: apply
              actions: {default: denied, set-env: allowed}
            """.write(to: policy, atomically: true, encoding: .utf8)
        let audit = scratch.appendingPathComponent("audit.log")
        let run = try await MedicBinary.runOffPool(["run", "--once", "--kubeconfig", kubeconfig, "--policy", policy.path,
                                        "--audit-log", audit.path, "--audit-stdout", "--log-level", "debug"])
        await server.stop()

        // It acted: the flag is off, so the secrets went through every stage that records.
        let deployment = try #require(sim.get(.deployment, namespace: "production", name: "inventory"))
        let env = deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?["env"]?.array ?? []
        #expect(env.first { $0["name"] == "CHAOS_FAILURE_RATE" }?["value"] == "0", "\(run.stdout)\n\(run.stderr)")
        #expect(env.first { $0["name"] == "DB_PASSWORD" }?["value"] == "Plant3dPassw0rd", "the real object keeps its values")

        Self.expectNoSecret(in: run.stdout, "medic run's stdout (audit records)")
        Self.expectNoSecret(in: run.stderr, "medic run's log")
        let log = try String(contentsOf: audit, encoding: .utf8)
        #expect(log.contains("\"type\":\"intent\""))
        Self.expectNoSecret(in: log, "the audit log")
        // Every Event but the one planted: medic's, and any other writer's.
        let events = sim.objects(.event, namespace: "production").filter { $0[path: ["metadata", "name"]] != "inventory.planted" }
        #expect(!events.isEmpty)
        Self.expectNoSecret(in: events.map { String(decoding: $0.serialized(), as: UTF8.self) }.joined(), "medic's Events")
        let remediations = sim.objects(try #require(sim.catalog.named("remediations")))
        #expect(!remediations.isEmpty)
        Self.expectNoSecret(in: remediations.map { String(decoding: $0.serialized(), as: UTF8.self) }.joined(), "the Remediation objects")
    }
}
