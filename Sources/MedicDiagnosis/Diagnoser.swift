import Foundation
import MedicKube
import MedicProm
import MedicRemediation
import MedicRunbook

/// Runs runbooks over the joined view and turns matches into findings. Pure: the metric data
/// was fetched before (see `metricQueries`), so the same inputs always give the same report.
public struct Diagnoser: Sendable {
    public var runbooks: [Runbook]
    public var functions: CELFunctionTable

    public init(runbooks: [Runbook]) {
        self.runbooks = runbooks
        functions = .medic
    }

    /// Every PromQL query the runbooks need, each once, then those of the calls metrics show
    /// (`MetricCalls`). Fetch these, then call `diagnose`.
    public var metricQueries: [String] {
        var seen = Set<String>()
        return runbooks.flatMap(\.conditions).compactMap { condition in
            guard case .metric(let metric) = condition, seen.insert(metric.query).inserted else { return nil }
            return metric.query
        } + MetricCalls.queries.filter { !seen.contains($0) }
    }

    public struct Options: Sendable {
        /// The evaluation instant, for object ages and metric windows.
        public var now: Date
        /// Only targets in this namespace, when set.
        public var namespace: String?
        /// Services to count as entry points besides LoadBalancer and NodePort ones (a policy's
        /// `entrypoints`), for incidents' impact.
        public var entryPoints: [ObjectRef]
        /// The instant metric windows end at: when the metric data was fetched, for a pass
        /// that reuses an earlier fetch; nil: `now`.
        public var metricsAt: Date?

        /// `now` is cut to whole seconds, the resolution of every Kubernetes timestamp, so ages
        /// and durations read "35m14s", not "35m14.858928204s".
        public init(now: Date, namespace: String? = nil, entryPoints: [ObjectRef] = []) {
            self.now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            self.namespace = namespace
            self.entryPoints = entryPoints
        }
    }

    public func diagnose(_ cluster: ClusterView, metrics: [String: MetricData], options: Options) -> DiagnosisReport {
        var explanations: [Explanation]?
        return diagnose(cluster, metrics: metrics, options: options, explanations: &explanations)
    }

    /// The report plus, for every target and `each` element, every condition's result and the
    /// outcome: why a runbook matched or not (`medic explain`, `medic test` failures).
    public func explain(_ cluster: ClusterView, metrics: [String: MetricData],
                        options: Options) -> (report: DiagnosisReport, explanations: [Explanation]) {
        var explanations: [Explanation]? = []
        let report = diagnose(cluster, metrics: metrics, options: options, explanations: &explanations)
        return (report, explanations ?? [])
    }

    /// The same report, evaluating the runbooks only on `targets` (nil: on all) and taking
    /// every other target's results from `memo`, which then holds this report's. `medic run`
    /// passes the targets a watched change touched: a pass costs what changed, not the cluster.
    /// A target in `targets` that the view no longer has leaves the memo. `sameGraph`: what
    /// the service graph is built from (the workloads' templates, the Services, crash logs,
    /// the metrics' calls) is as it was at the last call, whose graph the memo then reuses.
    ///
    /// When the targets evaluated gave what they gave last time, and nothing else the report
    /// reads changed (the graph, the entry points, the GitOps owners of those targets), the
    /// last report is the report: most passes on a busy cluster follow changes no runbook
    /// reads, and ranking and grouping every finding again was a fifth of such a pass.
    public func diagnose(_ cluster: ClusterView, metrics: [String: MetricData], options: Options,
                         memo: inout DiagnosisMemo, only targets: Set<ObjectRef>?, sameGraph: Bool = false) -> DiagnosisReport {
        var explanations: [Explanation]?
        var clockBound = Set<ObjectRef>()
        let evaluated = evaluate(cluster, metrics: metrics, options: options, only: targets, clockBound: &clockBound,
                                 explanations: &explanations)
        if let targets { memo.clockBound.subtract(targets) } else { memo.clockBound = [] }
        memo.clockBound.formUnion(clockBound)
        if !sameGraph || memo.graph?.entryPoints != options.entryPoints { memo.graph = nil }
        var unchanged = memo.graph != nil && targets != nil
        // The undecided checks are each target's in a fixed order, whatever the graph: when
        // no target evaluated has other ones, the last report's list is this one's, and the
        // log and notifications that compare lists compare it at once.
        var sameUndecided = targets != nil && memo.report != nil
        if let targets {
            for target in targets {
                var results = evaluated[target]
                let before = memo.results[target]
                let (after, previous) = (results ?? .init(), before ?? .init())
                // Findings that came out the same are kept as they were, so the report holds
                // (and hands on) the same copies, compared no further (`sharing`).
                let sameFindings = after.findings.elementsEqual(previous.findings, by: ==)
                if sameFindings, let before { results?.findings = before.findings }
                // Only a target's own labels name its GitOps owner, and a change to them touches it.
                let owner = after.findings.isEmpty ? nil : Self.gitOpsOwner(of: target, in: cluster)
                if sameUndecided || unchanged {
                    let sameChecks = after.undecided.elementsEqual(previous.undecided, by: ==)
                    sameUndecided = sameUndecided && sameChecks
                    unchanged = unchanged && sameChecks && sameFindings && memo.owners[target] == owner
                }
                memo.owners[target] = owner
                memo.results[target] = results
            }
        } else {
            memo.results = evaluated
            memo.owners = [:]
            for (target, results) in evaluated where !results.findings.isEmpty {
                memo.owners[target] = Self.gitOpsOwner(of: target, in: cluster)
            }
        }
        if unchanged, let report = memo.report { return report }
        var report = report(memo.results, cluster: cluster, metrics: metrics, options: options, graph: memo.graph?.graph,
                            undecided: sameUndecided ? memo.report?.undecided : nil, owners: memo.owners)
        if let last = memo.report { report.findings = Self.sharing(report.findings, with: last.findings) }
        if memo.graph == nil, let graph = report.graph { memo.graph = (graph, options.entryPoints) }
        memo.report = report
        memo.reportsMade += 1
        return report
    }

    private func diagnose(_ cluster: ClusterView, metrics: [String: MetricData], options: Options,
                          explanations: inout [Explanation]?) -> DiagnosisReport {
        var clockBound = Set<ObjectRef>()
        let evaluated = evaluate(cluster, metrics: metrics, options: options, only: nil, clockBound: &clockBound,
                                 explanations: &explanations)
        return report(evaluated, cluster: cluster, metrics: metrics, options: options)
    }

    /// Every runbook on every target (of `only`, when set), each target's results apart.
    ///
    /// Target by target, each target's runbooks in order: a target's CEL value (a workload's
    /// holds its pods) is built once and dropped before the next, so a pass over 10,000 pods
    /// holds one target's value at a time, not every target's. Explanations are still given
    /// runbook by runbook, as `medic explain` lists them.
    private func evaluate(_ cluster: ClusterView, metrics: [String: MetricData], options: Options,
                          only targets: Set<ObjectRef>?, clockBound: inout Set<ObjectRef>,
                          explanations: inout [Explanation]?) -> [ObjectRef: DiagnosisMemo.TargetResults] {
        var results: [ObjectRef: DiagnosisMemo.TargetResults] = [:]
        var explained: [[Explanation]]? = explanations.map { _ in Array(repeating: [], count: runbooks.count) }
        var namespaceValues: [String: CELValue] = [:]
        let joins = metrics.compactMapValues { data -> MetricJoin? in
            if case .series(let series) = data { MetricJoin(series) } else { nil }
        }
        func namespaceValue(_ name: String) -> CELValue {
            if let cached = namespaceValues[name] { return cached }
            let value = NamespaceView.value(named: name, in: cluster)
            namespaceValues[name] = value
            return value
        }
        func wanted(_ ref: ObjectRef) -> Bool {
            (options.namespace == nil || ref.namespace == options.namespace) && targets?.contains(ref) != false
        }
        let positions = Dictionary(grouping: runbooks.indices) { runbooks[$0].target }
        func evaluate(_ kind: Runbook.TargetKind, on subject: () -> Subject) {
            guard let positions = positions[kind] else { return }
            let subject = subject()
            let reads = CELReadLog(watching: "now")
            defer { if reads.wasRead { clockBound.insert(subject.ref) } }
            for position in positions {
                var findings: [Finding] = []
                var undecided: [UndecidedCheck] = []
                var explanations: [Explanation]? = explained == nil ? nil : []
                self.evaluate(runbooks[position], on: subject, metrics: metrics, joins: joins, options: options, reads: reads,
                              findings: &findings, undecided: &undecided, explanations: &explanations)
                if let explanations { explained?[position] += explanations }
                guard !findings.isEmpty || !undecided.isEmpty else { continue }
                results[subject.ref, default: .init()].findings += findings.map { (position, $0) }
                results[subject.ref, default: .init()].undecided += undecided.map { (position, $0) }
            }
        }
        // Positions, not a walk over every workload and Service: a pass that a change started
        // evaluates a few targets of thousands, and each element a loop visits is copied.
        let workloadPositions = targets.map { $0.compactMap { cluster.workloadPositions[$0] }.sorted() }
            ?? Array(cluster.workloads.indices)
        for position in workloadPositions where wanted(cluster.workloads[position].ref) {
            let workload = cluster.workloads[position]
            evaluate(.workload) {
                let identity = MetricJoin.identity(
                    of: workload, pods: cluster.pods(of: workload).map(\.metadata.name),
                    services: cluster.services(selecting: workload).map(\.metadata.name))
                return Subject(ref: workload.ref, variable: "workload", value: WorkloadView.value(of: workload, in: cluster),
                               namespace: namespaceValue(workload.namespace), identity: identity)
            }
        }
        for index in cluster.serviceRefs.indices where wanted(cluster.serviceRefs[index]) {
            let (service, ref) = (cluster.services[index], cluster.serviceRefs[index])
            evaluate(.service) {
                let identity = MetricJoin.identity(
                    ofService: ref.name, namespace: ref.namespace,
                    pods: cluster.pods(selectedBy: service).map(\.metadata.name))
                return Subject(ref: ref, variable: "service", value: ServiceView.value(of: service, in: cluster),
                               namespace: namespaceValue(ref.namespace), identity: identity)
            }
        }
        if let explained { explanations = explained.flatMap { $0 } }
        return results
    }

    /// One report from every target's results: in runbook order and, within a runbook, in
    /// the view's order of targets, as one pass over everything gives them.
    /// `graph`: the service graph of this view, when already built.
    /// `undecided`: the report's undecided checks, when known to be the last report's.
    /// `owners`: the GitOps owner of each target with findings, when known.
    private func report(_ results: [ObjectRef: DiagnosisMemo.TargetResults], cluster: ClusterView,
                        metrics: [String: MetricData], options: Options, graph built: ServiceGraph? = nil,
                        undecided kept: [UndecidedCheck]? = nil, owners: [ObjectRef: GitOpsOwner]? = nil) -> DiagnosisReport {
        // Only targets with something to report are ranked (hundreds, not every target of a
        // large cluster), and those with undecided checks only when the checks are not the
        // last report's (without Prometheus, every target has some); ranked once, entries then
        // sort on whole numbers (this runs on every pass whose findings moved).
        var found: [(ObjectRef, [(Int, Finding)])] = [], checks: [(ObjectRef, [(Int, UndecidedCheck)])] = []
        var ranked: [ObjectRef] = []
        for (target, results) in results {
            let checked = kept == nil && !results.undecided.isEmpty
            guard !results.findings.isEmpty || checked else { continue }
            ranked.append(target)
            if !results.findings.isEmpty { found.append((target, results.findings)) }
            if checked { checks.append((target, results.undecided)) }
        }
        let rank = Self.ranks(of: ranked, in: cluster)
        // Where each entry goes: whole numbers are sorted, and each finding or check is copied
        // once, where it goes (a generic sort of the entries themselves copied them through
        // the runtime's value witnesses, at every comparison).
        func order(_ items: [(ref: ObjectRef, runbooks: [Int])]) -> [(item: Int, entry: Int)] {
            var keys: [(key: (Int, Int, Int), item: Int)] = []
            for (index, item) in items.enumerated() {
                let target = rank[item.ref]?.target ?? 0
                for (entry, runbook) in item.runbooks.enumerated() { keys.append(((runbook, target, entry), index)) }
            }
            keys.sort { $0.key < $1.key }
            return keys.map { ($0.item, $0.key.2) }
        }
        var findings: [Finding] = order(found.map { ($0.0, $0.1.map(\.0)) }).map { found[$0.item].1[$0.entry].1 }
        let undecided = kept ?? order(checks.map { ($0.0, $0.1.map(\.0)) }).map { checks[$0.item].1[$0.entry].1 }
        findings = Self.layered(findings, layers: Dictionary(runbooks.map { ($0.id, $0.layer) },
                                                              uniquingKeysWith: { a, _ in a }),
                                cluster: cluster)
        // Most severe first, then by namespace, name and runbook: each finding's key is read
        // once and positions are sorted (a comparison of findings reads them out of their
        // storage); ties keep their order, as a stable sort of the findings would.
        let keys = findings.map { (severity: $0.severity, name: rank[$0.target]?.name ?? 0, runbook: $0.runbook) }
        findings = keys.indices.sorted { a, b in
            keys[a].severity != keys[b].severity ? keys[a].severity > keys[b].severity
                : (keys[a].name, keys[a].runbook, a) < (keys[b].name, keys[b].runbook, b)
        }.map { findings[$0] }
        findings = Self.markingGitOpsOwners(findings, owner: owners.map { owners in { owners[$0] } }
            ?? { Self.gitOpsOwner(of: $0, in: cluster) })
        var seen: [String: Int] = [:]
        for index in findings.indices {
            let count = seen[findings[index].id, default: 0] + 1
            seen[findings[index].id] = count
            if count > 1 { findings[index].id += "#\(count)" }
        }
        guard !findings.isEmpty else { return DiagnosisReport(findings: [], undecided: undecided) }
        let graph = built ?? ServiceGraph(cluster, entryPoints: options.entryPoints, metricCalls: MetricCalls.edges(in: metrics))
        let grouped = Incident.group(findings, rules: CausalRule.all, graph: graph,
                                     explainedBy: Dictionary(runbooks.map { ($0.id, $0.explainedBy) },
                                                             uniquingKeysWith: { a, _ in a }))
        let planned = FixOrder.arrange(grouped.findings, grouped.incidents)
        return DiagnosisReport(findings: planned.findings, undecided: undecided, incidents: planned.incidents, graph: graph)
    }

    /// Each target's place (`targets` holds each once) in the order of (namespace, name,
    /// kind), and of its namespace and name alone (a workload and a Service may share them).
    /// The view keeps its workloads in that order, so theirs are sorted by position and
    /// merged with the others (Services), sorted by name: not every target's name compared
    /// again on every report.
    static func ranks(of targets: some Collection<ObjectRef>, in cluster: ClusterView) -> [ObjectRef: (target: Int, name: Int)] {
        var placed: [(position: Int, ref: ObjectRef)] = []
        var others: [ObjectRef] = []
        placed.reserveCapacity(targets.count)
        for target in targets {
            if let position = cluster.workloadPositions[target] { placed.append((position, target)) } else { others.append(target) }
        }
        placed.sort { $0.position < $1.position }
        func before(_ a: ObjectRef, _ b: ObjectRef) -> Bool { (a.namespace, a.name, a.kind) < (b.namespace, b.name, b.kind) }
        others.sort(by: before)
        var ranks: [ObjectRef: (target: Int, name: Int)] = [:]
        ranks.reserveCapacity(targets.count)
        var (next, other, name) = (0, 0, 0)
        var last: ObjectRef?
        while next < placed.count || other < others.count {
            let takeOther = next == placed.count || (other < others.count && before(others[other], placed[next].ref))
            let ref = takeOther ? others[other] : placed[next].ref
            if takeOther { other += 1 } else { next += 1 }
            if let last, (last.namespace, last.name) != (ref.namespace, ref.name) { name += 1 }
            ranks[ref] = (ranks.count, name)
            last = ref
        }
        return ranks
    }

    /// `findings`, each one equal to a finding of `last` replaced by that one: a remade report
    /// decorates findings afresh (the fix order's notes, GitOps owners, a Service's impact), and
    /// the act stage, notifications and the log compare each finding with the last pass's,
    /// at once when they share storage.
    static func sharing(_ findings: [Finding], with last: [Finding]) -> [Finding] {
        let previous = Dictionary(last.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return findings.map { finding in previous[finding.id].flatMap { $0 == finding ? $0 : nil } ?? finding }
    }

    /// The more specific explanation wins: on each target only the findings of its most
    /// specific layer stay. A generic finding on a Service whose selected workloads already
    /// have a finding is their impact, not a second problem: it moves into their evidence and
    /// lends them its severity (a Service with no ready endpoints makes a workload's failure
    /// an outage). A symptom read from metrics is no explanation and competes with none: it
    /// stays, and the causal rules put it under the faults that explain it.
    static func layered(_ findings: [Finding], layers: [String: Runbook.Layer], cluster: ClusterView) -> [Finding] {
        func layer(_ finding: Finding) -> Runbook.Layer { layers[finding.runbook] ?? .specific }
        let best = Dictionary(findings.filter { layer($0) != .symptom }.map { ($0.target, layer($0)) }, uniquingKeysWith: min)
        var kept = findings.filter { layer($0) == .symptom || layer($0) == best[$0.target] }
        var absorbed = Set<Int>()
        // Where each target's findings are, once: a Service's workloads are then looked up, not
        // searched for among every finding (hundreds of both on a large cluster).
        let positions = Dictionary(grouping: kept.indices, by: { kept[$0].target })
        for (serviceIndex, finding) in kept.enumerated() where finding.target.kind == "Service" && layer(finding) == .triage {
            guard let service = cluster.service(finding.target), !service.selectorLabels.isEmpty else { continue }
            let explained = cluster.workloads(selectedBy: service).flatMap { positions[$0.ref] ?? [] }
            guard !explained.isEmpty else { continue }
            absorbed.insert(serviceIndex)
            for index in explained {
                kept[index].evidence.append("impact: \(finding.summary)")
                kept[index].severity = max(kept[index].severity, finding.severity)
            }
        }
        kept = kept.enumerated().filter { !absorbed.contains($0.offset) }.map(\.element)
        return kept
    }

    /// A fix for an object Argo CD or Flux owns belongs in Git: its sync reverts a live change.
    /// The finding says so, so nobody pastes a command that will not last.
    static func markingGitOpsOwners(_ findings: [Finding], owner: (ObjectRef) -> GitOpsOwner?) -> [Finding] {
        findings.map { finding in
            guard let owner = owner(finding.target),
                  finding.actions.contains(where: { $0.remediation.action.isMutating }) else { return finding }
            var marked = finding
            marked.evidence.append("managed by \(owner): its sync reverts a live change, so make the fix in the Git repository it syncs from (medic advise --output patch --manifests DIR writes it as a diff)")
            return marked
        }
    }

    /// The GitOps tool that syncs `target`, by its labels and annotations.
    /// Asked of every target with a finding whenever a report is made: the workload is read
    /// where the view holds it, not copied out whole.
    static func gitOpsOwner(of target: ObjectRef, in cluster: ClusterView) -> GitOpsOwner? {
        if target.kind == "Service" {
            return cluster.servicesByNamespace[target.namespace]?[target.name]
                .flatMap { GitOpsOwner.of(labels: $0.metadata.labels, annotations: $0.metadata.annotations) }
        }
        guard let position = cluster.workloadPositions[target] else { return nil }
        return GitOpsOwner.of(labels: cluster.workloads[position].metadata.labels,
                              annotations: cluster.workloads[position].metadata.annotations)
    }

    private struct Subject {
        var ref: ObjectRef
        var variable: String
        var value: CELValue
        var namespace: CELValue
        var identity: MetricJoin.Identity
    }

    private func evaluate(_ runbook: Runbook, on subject: Subject, metrics: [String: MetricData],
                          joins: [String: MetricJoin], options: Options, reads: CELReadLog,
                          findings: inout [Finding], undecided: inout [UndecidedCheck],
                          explanations: inout [Explanation]?) {
        var bindings: [String: CELValue] = [
            subject.variable: subject.value, "namespace": subject.namespace, "now": .timestamp(options.now),
        ]
        var elements: [CELValue?] = [nil]
        if let each = runbook.each {
            do {
                guard case .list(let items) = try each.collection.evaluate(bindings, functions: functions, reads: reads) else {
                    let results = [ConditionResult(id: "each", truth: .unknown, required: true,
                                                   detail: "'each' did not give a list", value: nil)]
                    undecided.append(UndecidedCheck(runbook: runbook.id, target: subject.ref, conditions: results))
                    explanations?.append(Explanation(runbook: runbook.id, target: subject.ref, element: nil,
                                                     conditions: results, outcome: .unknown))
                    return
                }
                elements = items
            } catch {
                let results = [ConditionResult(id: "each", truth: .unknown, required: true, detail: error.message,
                                               value: nil)]
                undecided.append(UndecidedCheck(runbook: runbook.id, target: subject.ref, conditions: results))
                explanations?.append(Explanation(runbook: runbook.id, target: subject.ref, element: nil,
                                                 conditions: results, outcome: .unknown))
                return
            }
            if elements.isEmpty {
                explanations?.append(Explanation(runbook: runbook.id, target: subject.ref, element: nil,
                                                 conditions: [], outcome: .noMatch))
            }
        }
        for element in elements {
            if let element, let each = runbook.each { bindings[each.variable] = element }
            let results = conditions(of: runbook, bindings: bindings, subject: subject, metrics: metrics,
                                     joins: joins, options: options, reads: reads)
            let required = results.filter(\.required)
            let outcome: Explanation.Outcome = required.contains(where: { $0.truth == .fails }) ? .noMatch
                : required.contains(where: { $0.truth == .unknown }) ? .unknown : .finding
            if explanations != nil {
                var explanation = Explanation(runbook: runbook.id, target: subject.ref,
                                              element: element.map(Explanation.describe), conditions: results,
                                              outcome: outcome)
                explanation.observed = Explanation.observe(runbook, results: results, bindings: bindings)
                explanations?.append(explanation)
            }
            switch outcome {
            case .noMatch: continue
            case .unknown: undecided.append(UndecidedCheck(runbook: runbook.id, target: subject.ref, conditions: results))
            case .finding: findings.append(finding(runbook, subject: subject, bindings: bindings, results: results, reads: reads))
            }
        }
    }

    /// Expression conditions first, in order, stopping at the first that fails (later ones may
    /// assume it); metric conditions only for targets the expressions let through.
    private func conditions(of runbook: Runbook, bindings: [String: CELValue], subject: Subject,
                            metrics: [String: MetricData], joins: [String: MetricJoin], options: Options,
                            reads: CELReadLog) -> [ConditionResult] {
        var results: [ConditionResult] = []
        for case .cel(let condition) in runbook.conditions {
            var result = ConditionResult(id: condition.id, truth: .unknown, required: true, detail: "", value: nil)
            do {
                switch try condition.expression.evaluate(bindings, functions: functions, reads: reads) {
                case .bool(true): result.truth = .holds
                case .bool(false): result.truth = .fails
                case let other: result.detail = "the expression gave \(other), not true or false"
                }
            } catch {
                result.detail = "expression error: \(error.message)"
            }
            results.append(result)
            if result.truth != .holds { return results }
        }
        for case .metric(let condition) in runbook.conditions {
            switch metrics[condition.query] {
            case .series?:
                // Fetched again at each sweep, with a window that ends at its instant.
                reads.markRead()
                let series = joins[condition.query]?.series(for: subject.identity) ?? []
                results.append(MetricWindow.evaluate(condition, series: series, at: options.metricsAt ?? options.now))
            case .unavailable(let reason)?:
                reads.markRead()
                results.append(ConditionResult(id: condition.id, truth: .unknown, required: condition.required,
                                               detail: reason, value: nil))
            case nil:
                // No Prometheus: the same answer at every sweep.
                results.append(ConditionResult(id: condition.id, truth: .unknown, required: condition.required,
                                               detail: "no Prometheus to ask (use --prometheus URL)", value: nil))
            }
        }
        return results
    }

    private func finding(_ runbook: Runbook, subject: Subject, bindings base: [String: CELValue],
                         results: [ConditionResult], reads: CELReadLog) -> Finding {
        var bindings = base
        bindings["conditions"] = .map(Dictionary(results.map { result in
            (result.id, result.truth == .unknown ? CELValue.null : .bool(result.truth == .holds))
        }, uniquingKeysWith: { a, _ in a }))
        bindings["metrics"] = .map(Dictionary(results.map { result in
            (result.id, CELValue.map(["value": result.value.map(CELValue.double) ?? .null,
                                      "detail": .string(result.detail)]))
        }, uniquingKeysWith: { a, _ in a }))
        var problems: [String] = []
        for binding in runbook.bindings {
            do {
                bindings[binding.name] = try binding.expression.evaluate(bindings, functions: functions, reads: reads)
            } catch {
                problems.append("let \(binding.name): \(error.message)")
                bindings[binding.name] = .null
            }
        }
        let summary: String
        do {
            summary = try runbook.summary.render(bindings, functions: functions, reads: reads)
        } catch {
            problems.append("summary: \(error.message)")
            summary = runbook.title
        }
        var evidence: [String] = []
        for template in runbook.evidence {
            do {
                let line = try template.render(bindings, functions: functions, reads: reads)
                if !line.trimmingCharacters(in: .whitespaces).isEmpty { evidence.append(line) }
            } catch {
                problems.append("evidence: \(error.message)")
            }
        }
        for result in results where !result.detail.isEmpty {
            evidence.append("\(result.id): \(result.detail)")
        }
        let actions = self.actions(runbook, target: subject.ref, bindings: bindings, reads: reads,
                                   problems: &problems).map { action in
            guard let message = action.remediation.action.as(Notify.self)?.message else { return action }
            var redacted = action
            redacted.remediation.action = .notify(message: Redaction.redact(message))
            return redacted
        }
        evidence += problems.map { "rule problem: \($0)" }
        // Logs, termination messages and environment values may hold secrets; none is printed.
        return Finding(runbook: runbook.id, severity: runbook.severity, target: subject.ref,
                       summary: Redaction.redact(summary), evidence: evidence.map(Redaction.redact), actions: actions,
                       conditions: results)
    }

    /// The first remediation option whose `when` holds. If an action of it cannot be built
    /// with definite values, the whole option becomes a `notify` that explains what is missing.
    private func actions(_ runbook: Runbook, target: ObjectRef, bindings: [String: CELValue], reads: CELReadLog,
                         problems: inout [String]) -> [ProposedAction] {
        for option in runbook.remediation {
            if let when = option.when {
                do {
                    guard try when.evaluate(bindings, functions: functions, reads: reads) == .bool(true) else { continue }
                } catch {
                    problems.append("when: \(error.message)")
                    continue
                }
            }
            var remediations: [Remediation] = []
            for spec in option.actions {
                do {
                    remediations.append(try ActionBuilder.build(spec, target: target, bindings: bindings,
                                                                functions: functions, reads: reads))
                } catch {
                    let message = "medic did not build \(spec.kind.rawValue) because \(error.description); "
                        + "a human must decide the fix"
                    return [ProposedAction(remediation: Remediation(target: target, action: .notify(message: message)),
                                           decision: "proposed")]
                }
            }
            return remediations.map { ProposedAction(remediation: $0, decision: "proposed") }
        }
        let message = "no remediation of \(runbook.id) applies here; a human must decide the fix"
        return [ProposedAction(remediation: Remediation(target: target, action: .notify(message: message)),
                               decision: "proposed")]
    }
}

extension CELFunctionTable {
    /// The standard functions plus medic's: `quantity(bytes)` writes a memory size the way a
    /// limit is written ("128Mi"), `cpuQuantity(millicores)` a CPU amount ("500m").
    public static let medic: CELFunctionTable = {
        var table = CELFunctionTable.standard
        table.register("quantity") { arguments throws(CELError) in
            guard arguments.count == 1, let bytes = arguments[0].wholeNumber else {
                throw CELError.evaluation("quantity() takes one whole number of bytes")
            }
            return .string(Quantity.formatBytes(bytes))
        }
        table.register("cpuQuantity") { arguments throws(CELError) in
            guard arguments.count == 1, let millicores = arguments[0].wholeNumber else {
                throw CELError.evaluation("cpuQuantity() takes one whole number of millicores")
            }
            return .string(Quantity.formatMillicores(millicores))
        }
        return table
    }()
}

extension CELValue {
    var wholeNumber: Int64? {
        switch self {
        case .int(let number): number
        case .double(let number) where number == number.rounded() && abs(number) < 9e18: Int64(number)
        default: nil
        }
    }
}

/// Each target's findings and undecided checks from the last time its runbooks ran, kept by
/// `medic run` between passes so a pass evaluates only the targets that changed.
public struct DiagnosisMemo: Sendable {
    struct TargetResults: Sendable {
        /// With the position of the runbook that gave each, for the report's order.
        var findings: [(Int, Finding)] = []
        var undecided: [(Int, UndecidedCheck)] = []
    }

    var results: [ObjectRef: TargetResults] = [:]
    /// The targets whose last evaluation read the clock (`now`, or a metric window, which ends
    /// at the sweep's instant): the only ones whose results can change while nothing they are
    /// evaluated on changes, so the only ones a periodic sweep must evaluate again.
    public internal(set) var clockBound: Set<ObjectRef> = []
    /// The last report's service graph (the Kubernetes joins are the cost of a pass's report
    /// at 10,000 pods), with the entry points it was built for.
    var graph: (graph: ServiceGraph, entryPoints: [ObjectRef])?
    /// The last report.
    var report: DiagnosisReport?
    /// The GitOps owner of each target with findings that has one, kept up to date with the
    /// results: a target's owner is read from its own labels, which only a change to it moves.
    var owners: [ObjectRef: GitOpsOwner] = [:]
    /// Reports made rather than kept, for tests.
    var reportsMade = 0

    public init() {}
}
