import Foundation
import Testing

@Suite("Dockerfile")
struct DockerfileTests {
    @Test("a Swift 6 build stage and a slim runtime with only libcurl and CA certificates")
    func stages() throws {
        let dockerfile = try Dockerfile.load()
        #expect(dockerfile.stages.map(\.base) == ["swift:\(dockerfile.arguments["SWIFT_VERSION"] ?? "")-bookworm", "debian:bookworm-slim"])
        #expect(dockerfile.arguments["SWIFT_VERSION"]?.hasPrefix("6.") == true)
        #expect(dockerfile.stages.map(\.name) == ["build", "runtime"])
        let build = dockerfile.stages[0], runtime = dockerfile.stages[1]
        #expect(build.all("RUN").contains { $0.contains("apt-get install -y --no-install-recommends libcurl4-openssl-dev") })
        #expect(build.all("RUN").contains { $0.contains("swift build -c release --product medic --static-swift-stdlib") })
        let installs = runtime.all("RUN").filter { $0.contains("apt-get install") }
        #expect(installs.count == 1)
        #expect(installs.first?.contains("apt-get install -y --no-install-recommends libcurl4 ca-certificates &&") == true)
        #expect(runtime.all("COPY") == ["--from=build /image/ /"])
        #expect(runtime.all("ENTRYPOINT") == ["[\"/usr/bin/medic\"]"])
    }

    @Test("runs as the non-root UID the Deployment declares")
    func user() throws {
        let runtime = try Dockerfile.load().stages[1]
        #expect(runtime.all("USER") == ["65532:65532"])
        let pod = Manifest.dig(try RenderedOverlay.render("advise").object("StatefulSet", "medic"), "spec", "template", "spec", "securityContext")
        #expect(Manifest.dig(pod, "runAsUser") as? Int == 65532)
        #expect(Manifest.dig(pod, "runAsGroup") as? Int == 65532)
    }

    @Test("every COPY source exists in the repository, and runbooks land where medic looks")
    func copies() throws {
        let build = try Dockerfile.load().stages[0]
        let copies = build.all("COPY")
        #expect(copies == ["Package.swift ./", "Sources ./Sources", "Tests ./Tests",
                           "runbooks /image/usr/share/medic/runbooks", "policies /image/usr/share/medic/policies"])
        for copy in copies {
            let source = String(copy.split(separator: " ")[0])
            #expect(FileManager.default.fileExists(atPath: Repository.url(source).path), "\(source) is not in the repository")
        }
        // The binary goes to usr/bin, so share/medic/runbooks is one level up: RunbookLocation's layout.
        #expect(build.all("RUN").contains { $0.contains("/image/usr/bin/medic") })
        let ignored = try String(contentsOf: Repository.deploy.appendingPathComponent("Dockerfile.dockerignore"), encoding: .utf8)
        #expect(ignored.split(separator: "\n").contains(".build"))
    }
}
