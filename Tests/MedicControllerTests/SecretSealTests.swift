import Foundation
import MedicAudit
import MedicKube
import MedicRemediation
import Testing
@testable import KubeSim
@testable import MedicController

@Suite("secret env values in before-states: sealed in the record, filled from the live object on rollback")
struct SecretSealTests {
    static let password = "hunter2-very-secret"
    static let urlPassword = "s3cr3t-pw"

    static func template(_ env: [[String: String]]) -> [String: Any] {
        ["spec": ["containers": [["name": "api", "image": "shop/api:1.5", "env": env]]]]
    }

    static func text(_ node: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: node, options: BeforeState.writing), as: UTF8.self)
    }

    @Test("a secret name is masked whole, a URL keeps all but its password, other values stay")
    func sealing() throws {
        let sealed = try Self.text(SecretSeal.seal(Self.template([
            ["name": "DB_PASSWORD", "value": Self.password],
            ["name": "DATABASE_URL", "value": "postgres://orders:\(Self.urlPassword)@db:5432/orders"],
            ["name": "LOG_LEVEL", "value": "info"],
        ])))
        #expect(!sealed.contains(Self.password) && !sealed.contains(Self.urlPassword))
        #expect(sealed.contains(#"{"name":"DB_PASSWORD","value":"****"}"#))
        #expect(sealed.contains(#"{"name":"DATABASE_URL","value":"postgres://orders:****@db:5432/orders"}"#))
        #expect(sealed.contains(#"{"name":"LOG_LEVEL","value":"info"}"#))
    }

    @Test("unsealing fills each mask from the same container's variable, even where the rest of the value differs")
    func unsealing() throws {
        let recorded = try Self.text(SecretSeal.seal(Self.template([
            ["name": "DB_PASSWORD", "value": "old"],
            ["name": "DATABASE_URL", "value": "postgres://orders:old@db:5432/orders"],
        ])))
        let live = try JSONSerialization.data(withJSONObject: ["spec": ["template": Self.template([
            ["name": "DB_PASSWORD", "value": Self.password],
            ["name": "DATABASE_URL", "value": "postgres://orders:\(Self.urlPassword)@db2:5432/orders"],
        ])]])
        let filled = try #require(SecretSeal.unseal(recorded, pointer: "/spec/template", live: live))
        #expect(filled == (try Self.text(Self.template([
            ["name": "DB_PASSWORD", "value": Self.password],
            ["name": "DATABASE_URL", "value": "postgres://orders:\(Self.urlPassword)@db:5432/orders"],
        ]))))
        // The variable is gone from the live object, or its URL lost its password: nothing to fill with.
        let gone = try JSONSerialization.data(withJSONObject: ["spec": ["template": Self.template([
            ["name": "DATABASE_URL", "value": "postgres://db2:5432/orders"],
        ])]])
        #expect(SecretSeal.unseal(recorded, pointer: "/spec/template", live: gone) == nil)
    }

    @Test("a before-state of one container's env alone is sealed and unsealed by that container's variables")
    func oneContainersEnv() throws {
        let pointer = "/spec/template/spec/containers/0/env"
        let old: [String: Any] = ["spec": ["template": Self.template([["name": "DB_PASSWORD", "value": "old"], ["name": "MODE", "value": "a"]])]]
        let recorded = try #require(BeforeState.sealedValue(at: pointer, in: old))
        #expect(recorded == #"[{"name":"DB_PASSWORD","value":"****"},{"name":"MODE","value":"a"}]"#)
        let live = try JSONSerialization.data(withJSONObject: ["spec": ["template": Self.template([
            ["name": "DB_PASSWORD", "value": Self.password], ["name": "MODE", "value": "b"],
        ])]])
        #expect(SecretSeal.unseal(recorded, pointer: pointer, live: live)
                == #"[{"name":"DB_PASSWORD","value":"\#(Self.password)"},{"name":"MODE","value":"a"}]"#)
    }

    @Test("an env action's record keeps only the values of the variables it sets; the rest, named like secrets or not, are masked")
    func envActionKeepsOnlyItsOwnVariables() throws {
        let pointer = "/spec/template/spec/containers/0/env"
        let old: [String: Any] = ["spec": ["template": Self.template([
            ["name": "STRIPE", "value": "sk_live_plain"], ["name": "POOL_SIZE", "value": "5"], ["name": "EMPTY", "value": ""],
        ])]]
        let recorded = try #require(BeforeState.sealedValue(at: pointer, in: old, keeping: ["POOL_SIZE"]))
        #expect(recorded == #"[{"name":"STRIPE","value":"****"},{"name":"POOL_SIZE","value":"5"},{"name":"EMPTY","value":""}]"#)
        #expect(BeforeState.keptVariables(of: .setEnv(container: nil, variables: [EnvAssignment(name: "POOL_SIZE", value: "20")]))
                == ["POOL_SIZE"])
        #expect(BeforeState.keptVariables(of: .scale(replicas: 3)) == nil)
        // A rollback fills the masked ones from the live object, which medic did not change there.
        let live = try JSONSerialization.data(withJSONObject: ["spec": ["template": Self.template([
            ["name": "STRIPE", "value": "sk_live_plain"], ["name": "POOL_SIZE", "value": "20"], ["name": "EMPTY", "value": ""],
        ])]])
        #expect(SecretSeal.unseal(recorded, pointer: pointer, live: live)
                == #"[{"name":"STRIPE","value":"sk_live_plain"},{"name":"POOL_SIZE","value":"5"},{"name":"EMPTY","value":""}]"#)
    }

    /// The fixture's Deployment with a secret literal and a URL carrying a password.
    static func addSecrets(_ cluster: KubectlEquivalenceCluster) throws -> JSON {
        var deployment = try #require(cluster.sim.get(.deployment, namespace: "shop", name: "api"))
        var containers = try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.array)
        var env = try #require(containers[0]["env"]?.array)
        env.append(["name": "DB_PASSWORD", "value": .string(password)])
        env.append(["name": "DATABASE_URL", "value": .string("postgres://orders:\(urlPassword)@db:5432/orders")])
        containers[0]["env"] = .array(env)
        deployment[path: ["spec", "template", "spec", "containers"]] = .array(containers)
        _ = try cluster.sim.put(deployment)
        return try #require(cluster.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template"]])
    }

    static let remediation = Remediation(
        target: ObjectRef(kind: "Deployment", namespace: "shop", name: "api"),
        action: .setEnv(container: "api", variables: [EnvAssignment(name: "POOL_SIZE", value: "20")]))

    /// `remediation` applied by medic over the fixture's secrets: the cluster (stop it), the
    /// template before, and the action as the audit log records it.
    static func setEnvOverSecrets() async throws -> (KubectlEquivalenceCluster, JSON, ActionLedger.ActionState) {
        let cluster = try await KubectlEquivalenceCluster.start()
        do {
            let original = try addSecrets(cluster)
            let result = try await cluster.medic(remediation, now: KubectlEquivalenceCluster.fixedTime)
            try #require(result == .applied, "\(result.summary)")
            return (cluster, original, try #require(ActionLedger(records: try AuditLog.records(at: cluster.auditURL)).actions["a1"]))
        } catch {
            await cluster.stop()
            throw error
        }
    }

    @Test("set-env on a template with secrets: the audit log holds neither, and the rollback restores the template exactly")
    func rollbackRestoresSecretsTheLogNeverHeld() async throws {
        let (cluster, original, action) = try await Self.setEnvOverSecrets()
        defer { Task { await cluster.stop() } }
        let log = try String(contentsOf: cluster.auditURL, encoding: .utf8)
        #expect(!log.contains(Self.password) && !log.contains(Self.urlPassword))
        // set-env keeps only the values of the variables it sets: the rest are masked whole.
        #expect(action.before?.contains(#"{"name":"DATABASE_URL","value":"****"}"#) == true)
        #expect(action.after?.contains(#""value":"20""#) == true)

        let rollback = try await cluster.executor(now: KubectlEquivalenceCluster.fixedTime).rollback(action, reason: "verification failed")
        guard case .restored = rollback else {
            Issue.record("expected the template restored, got \(rollback)")
            return
        }
        #expect(cluster.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template"]] == original)
        #expect(!(try String(contentsOf: cluster.auditURL, encoding: .utf8)).contains(Self.password))
    }

    @Test("a secret the live object no longer holds cannot be put back: the rollback is left to a human, nothing sent")
    func aVanishedSecretIsNotGuessed() async throws {
        let (cluster, _, action) = try await Self.setEnvOverSecrets()
        defer { Task { await cluster.stop() } }

        var deployment = try #require(cluster.sim.get(.deployment, namespace: "shop", name: "api"))
        var containers = try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.array)
        containers[0]["env"] = .array((containers[0]["env"]?.array ?? []).filter { $0["name"]?.string != "DB_PASSWORD" })
        deployment[path: ["spec", "template", "spec", "containers"]] = .array(containers)
        _ = try cluster.sim.put(deployment)
        let edited = cluster.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template"]]

        let rollback = try await cluster.executor(now: KubectlEquivalenceCluster.fixedTime).rollback(action, reason: "verification failed")
        guard case .irreversible(let message) = rollback else {
            Issue.record("expected the rollback left to a human, got \(rollback)")
            return
        }
        #expect(message.contains("masks secret env values"))
        #expect(cluster.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template"]] == edited)
    }

    @Test("when the live object cannot be read, the rollback fails and says why, instead of calling the secret gone; nothing sent")
    func anUnreadableObjectIsAFailureNotAVanishedSecret() async throws {
        let (cluster, _, action) = try await Self.setEnvOverSecrets()
        defer { Task { await cluster.stop() } }
        let applied = cluster.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template"]]

        cluster.sim.injectFault(.status(503), method: "GET", path: "/apis/apps/v1/namespaces/shop/deployments/api")
        let rollback = try await cluster.executor(now: KubectlEquivalenceCluster.fixedTime).rollback(action, reason: "verification failed")
        guard case .failed(let message) = rollback else {
            Issue.record("expected the rollback to fail on the read, got \(rollback)")
            return
        }
        #expect(message.hasPrefix("cannot read Deployment shop/api to put back the secret env values its record masks: "), "\(message)")
        #expect(cluster.sim.get(.deployment, namespace: "shop", name: "api")?[path: ["spec", "template"]] == applied)
    }
}
