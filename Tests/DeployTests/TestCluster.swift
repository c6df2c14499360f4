import Foundation
import KubeSim

/// A KubeSim over TLS (throwaway CA from openssl) that enforces RBAC for medic's
/// service-account token, with the cloudmart incident loaded and an overlay installed by
/// `kubectl apply` as a cluster admin.
struct TestCluster {
    static let adminToken = "admin-token-for-kubectl"
    static let medicToken = "medic-service-account-token"
    static let medicUser = "system:serviceaccount:medic:medic"

    let scratch: URL
    let server: RunningKubeSim
    let authorizer: RBACAuthorizer
    let kubeconfig: String
    /// token, ca.crt and namespace, as the kubelet mounts them.
    let serviceAccount: URL
    let caFile: String

    static func start(installing overlay: RenderedOverlay, scratch: URL) async throws -> TestCluster {
        try makeCertificates(in: scratch)
        let sim = KubeSim()
        try sim.load(file: Repository.url("docs/examples/cloudmart/snapshot.json").path)
        let authorizer = RBACAuthorizer(serviceAccountTokens: [medicToken: "medic/medic"])
        let tls = ServerOptions.TLS(certificateFile: scratch.appendingPathComponent("chain.crt").path,
                                    privateKeyFile: scratch.appendingPathComponent("server.key").path)
        let server = try await sim.start(ServerOptions(tls: tls, bearerToken: adminToken, rbac: authorizer))
        let kubeconfig = scratch.appendingPathComponent("admin.kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig, credentials: .token(adminToken))

        let serviceAccount = scratch.appendingPathComponent("serviceaccount")
        try FileManager.default.createDirectory(at: serviceAccount, withIntermediateDirectories: true)
        try Data(medicToken.utf8).write(to: serviceAccount.appendingPathComponent("token"))
        try Data("medic".utf8).write(to: serviceAccount.appendingPathComponent("namespace"))
        try FileManager.default.copyItem(at: scratch.appendingPathComponent("ca.crt"),
                                         to: serviceAccount.appendingPathComponent("ca.crt"))
        let cluster = TestCluster(scratch: scratch, server: server, authorizer: authorizer, kubeconfig: kubeconfig,
                                  serviceAccount: serviceAccount, caFile: scratch.appendingPathComponent("ca.crt").path)
        // A cluster's default StorageClass, which provides the StatefulSet's volumes, and the
        // Gateway API's HTTPRoute CRD, which many clusters have (medic lists the routes).
        let storage = """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
            provisioner: kubesim.medic.io/local
            volumeBindingMode: Immediate
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: httproutes.gateway.networking.k8s.io}
            spec:
              group: gateway.networking.k8s.io
              names: {kind: HTTPRoute, listKind: HTTPRouteList, plural: httproutes, singular: httproute}
              scope: Namespaced
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            ---

            """
        let applied = try await cluster.kubectl(["apply", "-f", "-"], stdin: storage + overlay.yaml)
        guard applied.status == 0 else {
            await server.stop()
            throw TestFailure("kubectl apply of \(overlay.name) failed: \(applied.stderr)")
        }
        return cluster
    }

    func kubectl(_ arguments: [String], stdin: String? = nil) async throws -> Command.Result {
        try await Command.detached("/usr/bin/kubectl", ["--kubeconfig", kubeconfig] + arguments, stdin: stdin,
                                   environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path], timeout: 60)
    }

    func stop() async {
        await server.stop()
    }

    private static func makeCertificates(in directory: URL) throws {
        func openssl(_ arguments: String...) throws {
            let result = try Command.run("/usr/bin/openssl", arguments.map { $0.hasPrefix("@") ? directory.appendingPathComponent(String($0.dropFirst())).path : $0 })
            guard result.status == 0 else { throw TestFailure("openssl \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        try openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "@ca.key", "-out", "@ca.crt",
                    "-days", "1", "-subj", "/CN=medic-deploy-test-ca")
        try Data("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: directory.appendingPathComponent("server.ext"))
        try openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "@server.key", "-out", "@server.csr",
                    "-subj", "/CN=127.0.0.1")
        try openssl("x509", "-req", "-in", "@server.csr", "-CA", "@ca.crt", "-CAkey", "@ca.key", "-CAcreateserial",
                    "-out", "@server.crt", "-days", "1", "-extfile", "@server.ext")
        let chain = try Data(contentsOf: directory.appendingPathComponent("server.crt"))
            + Data(contentsOf: directory.appendingPathComponent("ca.crt"))
        try chain.write(to: directory.appendingPathComponent("chain.crt"))
        // The sandboxed medic (UID 65532) reads ca.crt through the service-account mount.
        _ = try Command.run("/bin/chmod", ["0644", directory.appendingPathComponent("ca.crt").path])
    }
}

/// A fresh directory for one test, readable by the sandbox's non-root user.
func makeScratch(_ label: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o755])
    return directory
}
