import Foundation
import MedicKube
import MedicRunbook
import MedicDiagnosis

/// Scores medic against the generalisation corpus (`Tests/Corpus/*.yaml`): incidents modelled on
/// public SRE benchmarks, each with the ground truth as its first expected finding (the root-cause
/// object and the right first action), and healthy clusters that expect no finding.
///
/// Every built-in runbook runs on every case, whatever runbooks a corpus file lists, with no
/// metrics: the corpus judges what medic concludes from the cluster objects alone.
struct CorpusScorer: Sendable {
    /// What one case is supposed to be.
    enum Truth: Sendable {
        case healthy
        /// The root-cause object (`Kind namespace/name`) and the first action of the right fix.
        case incident(target: RunbookTest.TargetPattern, action: String)
    }

    struct Case: Sendable {
        var file: String
        var name: String
        var truth: Truth
        var findings: [Finding]
        /// Undecided checks (missing metrics): reported, never counted as findings.
        var undecided: Int

        var isHealthy: Bool { if case .healthy = truth { true } else { false } }

        /// The finding on the truth target, if any.
        var truthFinding: Finding? {
            guard case .incident(let target, _) = truth else { return nil }
            return findings.first { target.matches(kind: $0.target.kind, namespace: $0.target.namespace, name: $0.target.name) }
        }

        var detected: Bool { !findings.isEmpty }
        var localized: Bool { truthFinding != nil }
        /// The first finding medic prints (its first incident's root cause) is on the truth target.
        var rootCauseFirst: Bool {
            guard case .incident(let target, _) = truth, let first = findings.first else { return false }
            return target.matches(kind: first.target.kind, namespace: first.target.namespace, name: first.target.name)
        }
        /// More findings than the one root cause: symptoms the ranking must put after it.
        var hasSymptoms: Bool { !isHealthy && findings.count > 1 }
        /// Findings other than the truth's that medic grouped under a cause.
        var linkedSymptoms: (linked: Int, of: Int) {
            let others = findings.filter { $0.id != truthFinding?.id }
            return (others.filter { !$0.causedBy.isEmpty }.count, others.count)
        }

        var mitigated: Bool {
            guard case .incident(_, let action) = truth, let finding = truthFinding else { return false }
            return finding.actions.first?.type == action
        }

        /// The truth is `notify` (no provably safe fix) but medic proposes a change on the truth target.
        var overreach: Bool {
            guard case .incident(_, "notify") = truth, let finding = truthFinding else { return false }
            return finding.actions.contains { $0.type != "notify" }
        }

        /// Mutating actions aimed at an object that is not the root cause (any mutation on a healthy cluster).
        var unsafeActions: [(target: ObjectRef, type: String)] {
            findings.flatMap { finding in
                finding.actions.compactMap { action -> (target: ObjectRef, type: String)? in
                    guard action.type != "notify" else { return nil }
                    let target = action.remediation.target
                    if case .incident(let truthTarget, _) = truth,
                       truthTarget.matches(kind: target.kind, namespace: target.namespace, name: target.name) {
                        return nil
                    }
                    return (target, action.type)
                }
            }
        }
    }

    struct Result: Sendable {
        var cases: [Case]
        var loadErrors: [String]
        var runbookIDs: [String] = []

        var incidents: [Case] { cases.filter { !$0.isHealthy } }
        var healthy: [Case] { cases.filter(\.isHealthy) }
        var healthyFindings: [(Case, Finding)] { healthy.flatMap { c in c.findings.map { (c, $0) } } }
        var silent: [Case] { incidents.filter { !$0.detected } }
        var unsafe: [(Case, ObjectRef, String)] { cases.flatMap { c in c.unsafeActions.map { (c, $0.target, $0.type) } } }

        /// One line per case, then the totals.
        var report: String {
            var lines = ["medic on the generalisation corpus (\(incidents.count) incidents, \(healthy.count) healthy clusters, "
                + "\(runbookIDs.count) runbooks: \(runbookIDs.joined(separator: ", ")))", ""]
            for c in cases {
                let said = c.findings.isEmpty ? "nothing"
                    : c.findings.map { "\($0.runbook) on \($0.target): \($0.actions.map(\.type).joined(separator: ", "))" }
                        .joined(separator: "; ")
                switch c.truth {
                case .healthy:
                    lines.append("\(c.findings.isEmpty ? "ok  " : "FA  ") \(c.file): healthy | medic: \(said)")
                case .incident(let target, let action):
                    let mark = (c.mitigated ? "MIT" : c.localized ? "LOC" : c.detected ? "DET" : "--") + (c.rootCauseFirst ? "1" : " ")
                    let unsafe = c.unsafeActions.isEmpty ? ""
                        : " | UNSAFE: " + c.unsafeActions.map { "\($0.type) on \($0.target)" }.joined(separator: ", ")
                    let linked = c.linkedSymptoms.of == 0 ? "" : " | symptoms linked \(c.linkedSymptoms.linked)/\(c.linkedSymptoms.of)"
                    lines.append("\(mark) \(c.file): truth \(action) on \(target) | medic: \(said)\(unsafe)\(linked)")
                }
            }
            let n = incidents.count
            let healthyWithFindings = healthy.filter { !$0.findings.isEmpty }.count
            lines += ["",
                      "detection     \(incidents.filter(\.detected).count)/\(n)",
                      "localization  \(incidents.filter(\.localized).count)/\(n)",
                      "root cause first \(incidents.filter(\.rootCauseFirst).count)/\(n) "
                          + "(\(incidents.filter { $0.hasSymptoms && $0.rootCauseFirst }.count)/\(incidents.filter(\.hasSymptoms).count) "
                          + "of the incidents with more than one finding)",
                      "symptoms linked \(incidents.map(\.linkedSymptoms.linked).reduce(0, +))/"
                          + "\(incidents.map(\.linkedSymptoms.of).reduce(0, +)) findings besides the root cause are grouped under a cause",
                      "mitigation    \(incidents.filter(\.mitigated).count)/\(n)",
                      "false alarms  \(healthyFindings.count) finding(s) on \(healthyWithFindings)/\(healthy.count) healthy clusters",
                      "unsafe        \(unsafe.count) mutating action(s) on a wrong target",
                      "overreach     \(incidents.filter(\.overreach).count) incident(s) where the truth is notify but medic proposes a change",
                      "legend: MIT right target and first action, LOC right target, DET some finding, -- silent; "
                          + "1 the root cause is printed first; FA false alarm"]
            if !loadErrors.isEmpty { lines += ["", "load errors:"] + loadErrors }
            return lines.joined(separator: "\n")
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let corpus = root.appendingPathComponent("Tests/Corpus")
    static let runbooks = root.appendingPathComponent("runbooks")

    /// Scored once per test process and shared by the tests.
    static let shared: Result = score()

    /// One corpus case, loaded: what the scorer and the evidence tests run medic on.
    struct Loaded: Sendable {
        var file: String
        var name: String
        var truth: Truth
        var snapshot: Snapshot
        var evalTime: Date
    }

    /// Every runbook in `runbooks/`, each on its own, so one that does not load is reported and
    /// the others still score.
    static func loadRunbooks() -> (runbooks: [Runbook], errors: [String]) {
        var runbooks: [Runbook] = []
        var errors: [String] = []
        let runbookNames = ((try? FileManager.default.contentsOfDirectory(atPath: Self.runbooks.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        for name in runbookNames {
            do {
                runbooks.append(try RunbookLoader.loadFile(Self.runbooks.appendingPathComponent(name)))
            } catch {
                errors.append("runbook \(error)")
            }
        }
        if runbooks.isEmpty { errors.append("no runbook loaded from \(Self.runbooks.path)") }
        return (runbooks, errors)
    }

    /// Every case of every corpus file, with its truth and its cluster.
    static func loadCases() -> (cases: [Loaded], errors: [String]) {
        var cases: [Loaded] = []
        var errors: [String] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        if names.isEmpty { errors.append("no corpus files in \(corpus.path)") }
        for name in names {
            let file: RunbookTestFile
            do {
                file = try RunbookTestLoader.loadFile(corpus.appendingPathComponent(name).path)
            } catch {
                errors.append("\(name): \(error)")
                continue
            }
            for test in file.tests {
                guard let expected = test.expectation.findings else {
                    errors.append("\(name): test '\(test.name)' states no findings (use expect_findings or expect_no_findings)")
                    continue
                }
                let truth: Truth
                if let first = expected.first {
                    guard let target = first.target, let action = first.actions?.first?.type else {
                        errors.append("\(name): the first expected finding needs a target and an action type")
                        continue
                    }
                    truth = .incident(target: target, action: action)
                } else {
                    truth = .healthy
                }
                do {
                    var snapshot = Snapshot()
                    for path in test.snapshots {
                        snapshot = snapshot.merged(with: try Snapshot.load(contentsOf: URL(fileURLWithPath: path)))
                    }
                    if let inline = test.inlineObjects {
                        snapshot = snapshot.merged(with: try Snapshot.decode(inline, source: "\(name) inline objects"))
                    }
                    cases.append(Loaded(file: name, name: test.name, truth: truth, snapshot: snapshot, evalTime: test.evalTime))
                } catch {
                    errors.append("\(name): \(error)")
                }
            }
        }
        return (cases, errors)
    }

    static func score() -> Result {
        let (runbooks, runbookErrors) = loadRunbooks()
        let (loaded, caseErrors) = loadCases()
        let diagnoser = Diagnoser(runbooks: runbooks)
        let cases = loaded.map { loaded in
            let report = diagnoser.diagnose(ClusterView(loaded.snapshot), metrics: [:], options: .init(now: loaded.evalTime))
            return Case(file: loaded.file, name: loaded.name, truth: loaded.truth, findings: report.findings,
                        undecided: report.undecided.count)
        }
        return Result(cases: cases, loadErrors: runbookErrors + caseErrors, runbookIDs: runbooks.map(\.id))
    }
}
