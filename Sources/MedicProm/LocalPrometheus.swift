import Foundation
import MedicHTTP
import MedicProcess

/// A real Prometheus on 127.0.0.1 with a private temp directory, for tests and for
/// `medic test --prometheus`: PromQL conditions are checked by the real evaluator, not by an
/// imitation. History is backfilled with promtool before start; live data comes from scraping
/// loopback targets.
public struct LocalPrometheus: Sendable {
    public let baseURL: String
    public let port: Int
    /// Holds prometheus.yml, the TSDB, and prometheus.log (its stdout and stderr).
    public let directory: String
    private let process: ChildProcess

    /// Starts Prometheus and waits (up to 30 s) until `/-/ready` answers 200.
    ///
    /// - Parameters:
    ///   - openMetrics: history to load before start, in OpenMetrics text as
    ///     `promtool tsdb create-blocks-from openmetrics` requires it: timestamps in seconds,
    ///     each metric family's samples together and in time order, counters named `*_total`,
    ///     and a final `# EOF` line (added here when missing). Retention is 100 years so that
    ///     past timestamps are kept.
    ///   - scrapeTargets: `127.0.0.1:PORT` or `localhost:PORT` endpoints serving `/metrics`,
    ///     scraped every second.
    ///   - port: the listen port on 127.0.0.1; a free one when nil.
    public static func start(
        backfill openMetrics: String? = nil,
        scrapeTargets: [String] = [],
        port: Int? = nil
    ) async throws(LocalPrometheusError) -> LocalPrometheus {
        let prometheus = try executable("prometheus")
        for target in scrapeTargets where !(target.hasPrefix("127.0.0.1:") || target.hasPrefix("localhost:")) {
            throw LocalPrometheusError("scrape target \"\(target)\" is not 127.0.0.1:PORT or localhost:PORT;"
                + " LocalPrometheus only scrapes this machine")
        }
        let directory = try makeDirectory()
        do throws(LocalPrometheusError) {
            let dataDirectory = directory + "/data"
            try write(configuration(scrapeTargets: scrapeTargets), to: directory + "/prometheus.yml")
            if let openMetrics {
                try await backfill(openMetrics, directory: directory, dataDirectory: dataDirectory)
            }
            let port = if let port { port } else { try freeLoopbackPort() }
            let log = directory + "/prometheus.log"
            let process: ChildProcess
            do {
                process = try ChildProcess.spawn(prometheus, [
                    "--config.file=\(directory)/prometheus.yml",
                    "--web.listen-address=127.0.0.1:\(port)",
                    "--storage.tsdb.path=\(dataDirectory)",
                    "--storage.tsdb.retention.time=100y",
                    "--log.level=warn",
                ], stdout: .file(log, append: true), stderr: .standardOutput)
            } catch {
                throw LocalPrometheusError(error.reason)
            }
            let local = LocalPrometheus(
                baseURL: "http://127.0.0.1:\(port)", port: port, directory: directory, process: process
            )
            try await local.waitUntilReady(log: log)
            return local
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// SIGTERM, up to 10 s for a clean shutdown, then SIGKILL; removes the temp directory.
    public func stop() async {
        await process.terminate(grace: .seconds(10))
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func waitUntilReady(log: String) async throws(LocalPrometheusError) {
        let http = HTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(1), totalTimeout: .seconds(2), proxy: .none
        ))
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let status = process.exitStatus() {
                throw LocalPrometheusError("prometheus exited (\(status)) before it was ready; its log ends:\n"
                    + Self.tail(of: log))
            }
            if let response = try? await http.send(HTTPRequest(url: baseURL + "/-/ready")), response.status == 200 {
                return
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        let tail = Self.tail(of: log)
        await stop()
        throw LocalPrometheusError("prometheus on \(baseURL) was not ready within 30 s; its log ends:\n\(tail)")
    }

    private static func configuration(scrapeTargets: [String]) -> String {
        var yaml = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s

            """
        if !scrapeTargets.isEmpty {
            let targets = scrapeTargets.map { "\"\($0)\"" }.joined(separator: ", ")
            yaml += """
                scrape_configs:
                  - job_name: medic-local
                    static_configs:
                      - targets: [\(targets)]

                """
        }
        return yaml
    }

    private static func backfill(
        _ openMetrics: String, directory: String, dataDirectory: String
    ) async throws(LocalPrometheusError) {
        let promtool = try executable("promtool")
        var text = openMetrics
        if !text.hasSuffix("\n") {
            text += "\n"
        }
        if !text.hasSuffix("# EOF\n") {
            text += "# EOF\n"
        }
        let input = directory + "/backfill.om"
        let log = directory + "/promtool.log"
        try write(text, to: input)
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                promtool, ["tsdb", "create-blocks-from", "openmetrics", input, dataDirectory],
                stdout: .file(log, append: true), stderr: .standardOutput
            )
        } catch {
            throw LocalPrometheusError(error.reason)
        }
        guard let status = await child.waitForExit(within: .seconds(60)) else {
            await child.terminate(grace: .seconds(1))
            throw LocalPrometheusError("promtool backfill did not finish within 60 s; its output ends:\n"
                + tail(of: log))
        }
        guard status == .exited(0) else {
            throw LocalPrometheusError("promtool could not backfill the OpenMetrics data (\(status)):\n"
                + tail(of: log))
        }
    }

    private static func executable(_ name: String) throws(LocalPrometheusError) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw LocalPrometheusError("\(name) is not on PATH; install it with `apt-get install -y prometheus`")
    }

    private static func makeDirectory() throws(LocalPrometheusError) -> String {
        var template = Array((NSTemporaryDirectory() + "/medic-prometheus-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw LocalPrometheusError("cannot create a temp directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    private static func write(_ text: String, to path: String) throws(LocalPrometheusError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw LocalPrometheusError("cannot write \(path): \(error)")
        }
    }

    private static func tail(of path: String, lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Binds port 0 on 127.0.0.1 and reads back the port the kernel chose.
    private static func freeLoopbackPort() throws(LocalPrometheusError) -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else {
            throw LocalPrometheusError("cannot open a socket: \(String(cString: strerror(errno)))")
        }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard result else {
            throw LocalPrometheusError("cannot find a free port on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
