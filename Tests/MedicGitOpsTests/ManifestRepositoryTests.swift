import Foundation
import MedicKube
import MedicProcess
import Testing
@testable import MedicGitOps

/// Fixes written into the YAML a GitOps controller syncs from: only the lines that change,
/// other documents and files untouched, and a diff `git apply` takes.
@Suite struct ManifestRepositoryTests {
    static let shop = """
        # The shop's Deployment and Service.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop
          labels: {app: shop}
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - name: app
                image: shop:1.0 # pinned
                env:
                - name: CHAOS_RATE
                  value: "0.5"
                - name: PORT
                  value: "8080"
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: shop
        spec:
          selector:
            app: nginx
          ports:
          - port: 80
            targetPort: 8080

        """

    static func repository(_ files: [String: String]) throws -> (ManifestRepository, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medic-manifests-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return (try ManifestRepository(root: root), root)
    }

    static func fix(_ ref: ObjectRef, spec: JSON) -> DeclarativeFix {
        DeclarativeFix(findingID: "f", runbook: "chaos-flag", summary: "s", object: ref, apiVersion: "apps/v1",
                       action: "set-env", command: nil, spec: spec)
    }

    static let shopDeployment = ObjectRef(kind: "Deployment", namespace: "prod", name: "shop")

    @Test func aFixChangesOnlyItsLinesAndKeepsOrderQuotingAndOtherDocuments() throws {
        var (repository, root) = try Self.repository(["apps/shop.yaml": Self.shop, "other.yml": "kind: ConfigMap\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let path = try repository.apply(Self.fix(Self.shopDeployment, spec: [
            "template": ["spec": ["containers": [["name": "app", "env": [["name": "CHAOS_RATE", "value": "0"]]]]]],
        ]))
        #expect(path == "apps/shop.yaml")
        let file = try #require(repository.files.first { $0.path == "apps/shop.yaml" })
        let diff = UnifiedDiff.file(file.path, from: file.original, to: file.text)
        let changed = diff.split(separator: "\n").filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
        // The string "0" stays a string, quoted; nothing else moves.
        #expect(changed == [#"-          value: "0.5""#, #"+          value: "0""#], "\(diff)")
        #expect(file.text.hasPrefix("# The shop's Deployment and Service.\n"))
        #expect(file.text.hasSuffix(Self.shop.components(separatedBy: "---\n")[1]))
        #expect(repository.files.first { $0.path == "other.yml" }?.changed == false)
    }

    @Test func aNewVariableIsAddedAfterTheOthers() throws {
        var (repository, root) = try Self.repository(["shop.yaml": Self.shop])
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try repository.apply(Self.fix(Self.shopDeployment, spec: [
            "template": ["spec": ["containers": [[
                "name": "app", "env": [["name": "DB_NAME", "value": "true"]],
                "$setElementOrder/env": [["name": "CHAOS_RATE"], ["name": "PORT"], ["name": "DB_NAME"]],
            ]]]],
        ]))
        let text = repository.files[0].text
        // The string "true" stays a string.
        #expect(text.contains("        - name: PORT\n          value: \"8080\"\n        - name: DB_NAME\n          value: \"true\"\n"), "\(text)")
    }

    @Test func theDiffAppliesWithGit() throws {
        var (repository, root) = try Self.repository(["shop.yaml": Self.shop])
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try repository.apply(Self.fix(ObjectRef(kind: "Service", namespace: "prod", name: "shop"),
                                          spec: ["selector": ["app": "shop"]]))
        let file = repository.files[0]
        let diff = UnifiedDiff.file(file.path, from: file.original, to: file.text)
        try Data(diff.utf8).write(to: root.appendingPathComponent("fix.diff"))
        #expect(try Self.git(["init", "-q"], in: root) == 0)
        #expect(try Self.git(["apply", "fix.diff"], in: root) == 0, "\(diff)")
        #expect(try String(contentsOf: root.appendingPathComponent("shop.yaml"), encoding: .utf8) == file.text)
    }

    @Test func anObjectNoManifestDeclaresIsNamed() throws {
        var (repository, root) = try Self.repository(["shop.yaml": Self.shop])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: GitOpsError("no manifest declares Deployment prod/cart under \(root.path)")) {
            _ = try repository.apply(Self.fix(ObjectRef(kind: "Deployment", namespace: "prod", name: "cart"), spec: ["replicas": 1]))
        }
    }

    @Test func twoDeclarationsAreRefusedNotGuessed() throws {
        let (repository, root) = try Self.repository(["base/shop.yaml": Self.shop, "overlay/shop.yaml": Self.shop])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: GitOpsError("Deployment prod/shop is declared more than once: base/shop.yaml (document 1), overlay/shop.yaml (document 1); write the fix by hand in the one that is synced")) {
            _ = try repository.locate(Self.shopDeployment)
        }
    }

    @Test func aFileThatIsNotYAMLIsAnErrorNamingIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medic-manifests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("a: [unclosed\n".utf8).write(to: root.appendingPathComponent("broken.yaml"))
        #expect { try ManifestRepository(root: root) } throws: { ($0 as? GitOpsError)?.description.hasPrefix("broken.yaml (document 1): ") == true }
    }

    static func git(_ arguments: [String], in directory: URL) throws -> Int32 {
        let process = try ChildProcess.spawn("/usr/bin/env", ["git", "-C", directory.path] + arguments)
        return process.wait(killingAfter: .seconds(60)).shellStatus
    }
}
