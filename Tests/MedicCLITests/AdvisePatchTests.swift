import Foundation
import Testing

/// `medic advise --output patch --manifests`, end to end on CloudMart: the diff applies to its
/// manifests with `git apply`, and the patched YAML, applied with kubectl, gives each object
/// the same spec as medic's live commands give it.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AdvisePatchTests {
    static let snapshot = MedicBinary.incident.appendingPathComponent("snapshot.json").path
    static let fixed: [String] = [
        "deployment/api-service", "deployment/auth-service", "service/gateway",
        "deployment/database-service", "deployment/notification-service",
    ]

    static func sh(_ command: String, in directory: URL? = nil, kubeconfig: String? = nil) throws -> MedicBinary.Result {
        try MedicBinary.run(["-c", command], in: directory, timeout: 60, executable: URL(fileURLWithPath: "/bin/sh"),
                            environment: kubeconfig.map { ["KUBECONFIG": $0] } ?? [:])
    }

    /// The specs of the objects the fixes touch, as the API server holds them.
    static func specs(kubeconfig: String) throws -> [String: String] {
        var specs: [String: String] = [:]
        for object in fixed {
            let got = try sh("kubectl -n production get \(object) -o json", kubeconfig: kubeconfig)
            #expect(got.status == 0, "\(got.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(got.stdout.utf8)) as? [String: Any])
            let spec = try JSONSerialization.data(withJSONObject: json["spec"] ?? [:], options: [.sortedKeys, .withoutEscapingSlashes])
            specs[object] = String(decoding: spec, as: UTF8.self)
        }
        return specs
    }

    @Test func theDiffAppliesAndGivesTheObjectsTheLiveFixWouldGive() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medic-patch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let repo = scratch.appendingPathComponent("deploy"), out = scratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: MedicBinary.incident.appendingPathComponent("manifests"), to: repo)
        #expect(try Self.sh("git init -q && git add . && git -c user.name=t -c user.email=t@t commit -qm manifests", in: repo).status == 0)

        let advise = try MedicBinary.run(["advise", "--snapshot", Self.snapshot, "--output", "patch",
                                          "--patch-dir", out.path, "--manifests", repo.path])
        #expect(advise.status == 1, "findings exit 1: \(advise.stderr)")
        #expect(advise.stdout.hasPrefix("5 fixes written to \(out.path):"), "\(advise.stdout)")
        #expect(advise.stdout.contains("git -C \(repo.path) apply \(out.path)/medic-fixes.diff"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["01-probe-port-deployment-api-service.yaml", "02-oom-killed-deployment-auth-service.yaml",
                          "03-selector-mismatch-service-gateway.yaml", "04-chaos-flag-deployment-database-service.yaml",
                          "05-bad-image-deployment-notification-service.yaml", "medic-fixes.diff"])

        // The diff applies as it is, and changes one line per fix.
        let applied = try Self.sh("git apply \(out.path)/medic-fixes.diff && git diff --numstat", in: repo)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.split(separator: "\n").map { $0.split(separator: "\t").prefix(2).joined(separator: " ") }
                == ["1 1", "1 1", "1 1", "1 1", "1 1"], "\(applied.stdout)")

        // One KubeSim gets medic's live commands, the other the patched manifests.
        let json = try MedicBinary.run(["advise", "--snapshot", Self.snapshot, "--output", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let commands = (report["findings"] as? [[String: Any]] ?? []).flatMap { $0["actions"] as? [[String: Any]] ?? [] }
            .compactMap { $0["command"] as? String }
        #expect(commands.count == 5, "\(commands)")
        var live: [String: String] = [:], fromGit: [String: String] = [:]
        try await RunCommandTests.withKubeSim { kubeconfig, _ in
            for command in commands {
                let result = try Self.sh(command, kubeconfig: kubeconfig)
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
            live = try Self.specs(kubeconfig: kubeconfig)
        }
        try await RunCommandTests.withKubeSim { kubeconfig, _ in
            let result = try Self.sh("kubectl apply -f \(repo.path)", kubeconfig: kubeconfig)
            #expect(result.status == 0, "\(result.stderr)")
            fromGit = try Self.specs(kubeconfig: kubeconfig)
        }
        #expect(live.count == 5)
        // Both changed something: the image the bad-image fix picks, the selector it restores.
        #expect(fromGit["deployment/notification-service"]?.contains(#""image":"cloudmart/notification-service:v1.9.3""#) == true)
        #expect(fromGit["service/gateway"]?.contains(#""selector":{"app":"gateway"}"#) == true)
        for object in Self.fixed {
            #expect(fromGit[object] == live[object], "\(object)")
        }
    }

    @Test func manifestsWithoutPatchOutputIsAUsageError() throws {
        let result = try MedicBinary.run(["advise", "--snapshot", Self.snapshot, "--manifests", "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--manifests is for --output patch"))
    }
}
