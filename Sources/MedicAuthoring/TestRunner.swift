import Foundation
import MedicDiagnosis
import MedicKube
import MedicPolicy
import MedicProm
import MedicRemediation
import MedicRunbook

/// Runs runbook test cases: builds the cluster from snapshots and inline objects, supplies the
/// metric history (medic's own window logic, or a real Prometheus with `--prometheus`), runs
/// the runbooks under test, and compares what came out with what the test expects.
public struct TestRunner {
    /// Start a LocalPrometheus for tests with `input_series`.
    public var prometheus: Bool
    public var queryTimeout: Duration = .seconds(10)
    private var runbookCache: [String: Runbook] = [:]
    private var policyCache: [String: Policy] = [:]

    public init(prometheus: Bool) {
        self.prometheus = prometheus
    }

    public enum Outcome {
        case passed
        case failed(String)
        /// The test could not be set up (bad objects, unknown condition id): a load error.
        case error(String)
        case skipped(String)
    }

    public mutating func runbooks(of file: RunbookTestFile) throws(LoadError) -> [Runbook] {
        var runbooks: [Runbook] = []
        for path in file.runbooks {
            if let cached = runbookCache[path] {
                runbooks.append(cached)
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                // A folder stands for every runbook in it: a corpus tests them all together.
                runbooks += try RunbookLoader.loadDirectory(URL(fileURLWithPath: path))
                continue
            }
            let runbook = try RunbookLoader.loadFile(URL(fileURLWithPath: path))
            runbookCache[path] = runbook
            runbooks.append(runbook)
        }
        return runbooks
    }

    /// Every policy the file's tests name, by absolute path; a policy that does not load fails
    /// the whole file, at the policy file's line and column.
    public mutating func policies(of file: RunbookTestFile) throws(LoadError) -> [String: Policy] {
        var policies: [String: Policy] = [:]
        for path in Set(file.tests.compactMap(\.policy)).sorted() {
            if policyCache[path] == nil { policyCache[path] = try PolicyLoader.loadFile(URL(fileURLWithPath: path)) }
            policies[path] = policyCache[path]
        }
        return policies
    }

    /// `policy` is the one the test names (`test.policy`), already loaded.
    public func run(_ test: RunbookTest, runbooks: [Runbook], policy: Policy? = nil) async -> Outcome {
        let cluster: ClusterView
        do {
            var snapshot = Snapshot()
            for path in test.snapshots {
                snapshot = snapshot.merged(with: try Snapshot.load(contentsOf: URL(fileURLWithPath: path)))
            }
            if let inline = test.inlineObjects {
                snapshot = snapshot.merged(with: try Snapshot.decode(inline, source: "the inline objects"))
            }
            cluster = ClusterView(snapshot)
        } catch {
            return .error("\(test.file):\(test.line): test '\(test.name)': \(error)")
        }
        let diagnoser = Diagnoser(runbooks: runbooks)
        let metrics: [String: MetricData]
        if !test.inputSeries.isEmpty && prometheus {
            switch await prometheusMetrics(test, queries: diagnoser.metricQueries) {
            case .success(let fetched): metrics = fetched
            case .failure(let problem): return .error("\(test.file):\(test.line): test '\(test.name)': \(problem)")
            }
        } else if !test.inputSeries.isEmpty && test.metrics.isEmpty {
            return .skipped("\(test.file):\(test.line): \(test.name): input_series need --prometheus")
        } else {
            switch Self.metrics(test, runbooks: runbooks) {
            case .success(let built): metrics = built
            case .failure(let problem): return .error(problem.description)
            }
        }
        let (report, explanations) = diagnoser.explain(cluster, metrics: metrics, options: .init(now: test.evalTime))
        let judge = policy.map { TestPolicyJudge(policy: $0, cluster: cluster, now: test.evalTime) }
        let problems = TestComparison.compare(test.expectation, with: report, judge: judge)
        guard !problems.isEmpty else { return .passed }
        return .failed(TestComparison.render(test, problems: problems, report: report, explanations: explanations,
                                             runbooks: runbooks, cluster: cluster, judge: judge))
    }

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Series for each metric condition from the test's `metrics:` values; a condition the
    /// test gives no values for is unavailable, so it is unknown, as without Prometheus.
    public static func metrics(_ test: RunbookTest, runbooks: [Runbook]) -> Result<[String: MetricData], Problem> {
        let conditions = runbooks.flatMap { runbook in
            runbook.conditions.compactMap { condition -> Runbook.MetricCondition? in
                if case .metric(let metric) = condition { metric } else { nil }
            }
        }
        for input in test.metrics where !conditions.contains(where: { $0.id == input.condition }) {
            let known = conditions.map(\.id)
            return .failure(Problem(description: "\(test.file):\(input.line): test '\(test.name)': no metric condition "
                + "'\(input.condition)' in the runbooks under test"
                + (known.isEmpty ? " (they have none)" : " (they have: \(known.joined(separator: ", ")))")))
        }
        var metrics: [String: MetricData] = [:]
        for condition in conditions {
            let inputs = test.metrics.filter { $0.condition == condition.id }
            guard !inputs.isEmpty else {
                metrics[condition.query] = .unavailable(reason: "the test gives no values for '\(condition.id)'")
                continue
            }
            metrics[condition.query] = .series(inputs.map { input in
                Series(labels: input.labels, samples: samples(input.points, interval: input.interval ?? condition.step,
                                                              endingAt: test.evalTime))
            })
        }
        return .success(metrics)
    }

    /// The last point at `end`, the others `interval` apart before it; `_` and `stale` leave a gap.
    public static func samples(_ points: [SeriesNotation.Point], interval: Double, endingAt end: Date) -> [Sample] {
        points.enumerated().compactMap { index, point in
            guard case .value(let value) = point else { return nil }
            return Sample(time: end.addingTimeInterval(-Double(points.count - 1 - index) * interval), value: value)
        }
    }

    private func prometheusMetrics(_ test: RunbookTest, queries: [String]) async -> Result<[String: MetricData], Problem> {
        let local: LocalPrometheus
        do {
            local = try await LocalPrometheus.start(backfill: TestOpenMetrics.render(test.inputSeries, endingAt: test.evalTime))
        } catch {
            return .failure(Problem(description: "cannot start Prometheus: \(error)"))
        }
        let metrics = await MetricFetcher(baseURL: local.baseURL, timeout: queryTimeout).fetch(queries, at: test.evalTime)
        await local.stop()
        return .success(metrics)
    }
}

/// `input_series` as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: each
/// metric family together, each series in time order, timestamps in seconds.
enum TestOpenMetrics {
    public static func render(_ series: [RunbookTest.InputSeries], endingAt end: Date) -> String {
        var families: [String: [String]] = [:]
        var order: [String] = []
        for item in series {
            if families[item.metric] == nil { order.append(item.metric) }
            let labels = item.labels.sorted { $0.key < $1.key }.map { key, value in
                "\(key)=\"\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n"))\""
            }.joined(separator: ",")
            let name = labels.isEmpty ? item.metric : "\(item.metric){\(labels)}"
            for sample in TestRunner.samples(item.points, interval: item.interval, endingAt: end) {
                families[item.metric, default: []].append("\(name) \(format(sample.value)) \(format(sample.time.timeIntervalSince1970))")
            }
        }
        return order.flatMap { families[$0] ?? [] }.joined(separator: "\n") + "\n# EOF\n"
    }

    private static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
