import ArgumentParser
import Foundation
import KubeSim
import UnixSignals

/// `kube-sim`: the in-memory Kubernetes API server, live on a port for kubectl and medic.
@main
struct KubeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-sim",
        abstract: "An in-memory Kubernetes API server that the real kubectl works against.",
        discussion: """
            Listens on 127.0.0.1 only. Runs until SIGTERM/SIGINT or --exit-after.

            With --scenario, pods behave as the scenario's apps do (image pulls, crashes, \
            OOM kills, probes, readiness), its load runs through the Services, and GET /metrics \
            serves the apps' metrics for Prometheus. Requests through the apiserver service proxy \
            (/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH) are served by the model too.

            Examples:
              kube-sim --load incident.yaml --write-kubeconfig kubeconfig
              kube-sim --scenario docs/examples/cloudmart/scenario.yaml --write-history history.om \
                --write-kubeconfig kubeconfig
            """)

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "YAML/JSON manifests or a `kubectl get -o json` List to load (repeatable).")
    var load: [String] = []

    @Option(help: ArgumentHelp("Play this scenario (docs/scenarios.md): its history is simulated at once, then it runs live.",
                               valueName: "file"))
    var scenario: String?

    @Option(help: ArgumentHelp("With --scenario: write the history's metrics (OpenMetrics, for promtool tsdb create-blocks-from openmetrics) to PATH before serving.",
                               valueName: "path"))
    var writeHistory: String?

    @Option(help: ArgumentHelp("With --scenario: end the history SECONDS from now, and serve /metrics (503 until then) from that moment on, so a Prometheus that backfills the history and starts scraping meanwhile sees no gap between the two.",
                               valueName: "seconds"))
    var liveAfter: Double = 0

    @Option(help: "Write a kubeconfig for this server to PATH once it is serving.")
    var writeKubeconfig: String?

    @Option(help: "PEM server certificate (chain): serve HTTPS.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "PEM CA bundle: accept client certificates it signed (requires TLS).")
    var clientCa: String?

    @Option(help: "Require this bearer token (requires TLS: kubectl sends credentials only over HTTPS).")
    var token: String?

    @Option(help: ArgumentHelp("Append a JSON line per API request (time, method, path, query, user agent) to PATH.",
                               valueName: "path"))
    var requestLog: String?

    @Option(help: "Stop after this many seconds (for tests).")
    var exitAfter: Double?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCert == nil, clientCa != nil || token != nil {
            throw ValidationError("--client-ca and --token need --tls-cert/--tls-key: kubectl sends credentials only over TLS")
        }
        if writeHistory != nil, scenario == nil { throw ValidationError("--write-history needs --scenario") }
        if liveAfter != 0, scenario == nil { throw ValidationError("--live-after needs --scenario") }
        if !(0...600).contains(liveAfter) { throw ValidationError("--live-after must be between 0 and 600 seconds") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let sim = KubeSim()
        do {
            if let requestLog { try sim.logRequests(to: URL(fileURLWithPath: requestLog)) }
            for file in load { try sim.load(file: file) }
            if let scenario {
                let played = try ScenarioLoader.load(file: scenario)
                let history = try sim.play(played, source: scenario, liveAfter: liveAfter)
                if let writeHistory {
                    try Data(history.utf8).write(to: URL(fileURLWithPath: writeHistory))
                }
                var lines = "kube-sim playing \(played.name) (\(Int(played.history)) s of history)\n"
                for load in played.load {
                    lines += "kube-sim load \(load.method) \(load.url) \(String(format: "%g", load.rate(at: played.history)))/s \(load.name)\n"
                }
                FileHandle.standardOutput.write(Data(lines.utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("kube-sim: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let tls = tlsCert.map { ServerOptions.TLS(certificateFile: $0, privateKeyFile: tlsKey!, clientCAFile: clientCa) }
        let running = try await sim.start(ServerOptions(port: port, tls: tls, bearerToken: token),
                                          shutdownSignals: [.sigterm, .sigint])
        if let path = writeKubeconfig {
            try running.writeKubeconfig(to: path, credentials: token.map(KubeconfigCredentials.token) ?? .none)
        }
        FileHandle.standardOutput.write(Data("kube-sim serving \(running.baseURL)\n".utf8))
        if let exitAfter {
            // Shut down as SIGTERM would.
            Task {
                try await Task.sleep(for: .seconds(exitAfter))
                await running.shutDown()
            }
        }
        try await running.wait()
    }
}
