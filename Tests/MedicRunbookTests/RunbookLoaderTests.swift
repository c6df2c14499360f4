import Foundation
import Testing
@testable import MedicRunbook

@Suite struct RunbookLoaderTests {
    static let valid = """
    apiVersion: medic.io/v1
    kind: Runbook
    metadata:
      name: sample
      severity: high
      title: A sample
    target: workload
    each: c in workload.containers
    detect:
      - id: restarted
        cel: c.restartCount > 2
      - id: errors
        promql: sum by (namespace, service) (rate(http_requests_total[5m]))
        above: 0.5
        for: 5m
        required: false
    let:
      doubled: c.restartCount * 2
    summary: "{{ c.name }} restarted {{ c.restartCount }} times"
    evidence:
      - "twice that is {{ doubled }}"
    remediate:
      - when: c.restartCount > 10
        actions:
          - action: rollout-restart
      - actions:
          - action: set-env
            container: "{{ c.name }}"
            env:
              "{{ c.name }}_OFF": "0"
    """

    private func loadError(_ text: String) -> LoadError? {
        do {
            _ = try RunbookLoader.parse(text, file: "runbooks/x.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryPart() throws {
        let runbook = try RunbookLoader.parse(Self.valid, file: "runbooks/sample.yaml")
        #expect(runbook.id == "sample")
        #expect(runbook.severity == .high)
        #expect(runbook.target == .workload)
        #expect(runbook.each?.variable == "c")
        #expect(runbook.each?.collection.source == "workload.containers")
        #expect(runbook.conditions.map(\.id) == ["restarted", "errors"])
        guard case .metric(let metric) = runbook.conditions[1] else {
            Issue.record("expected a metric condition")
            return
        }
        #expect(metric.comparison == .above(0.5))
        #expect(metric.window == 300)
        #expect(metric.step == 30)
        #expect(metric.required == false)
        #expect(metric.query == "(sum by (namespace, service) (rate(http_requests_total[5m])))[5m30s:30s]")
        #expect(runbook.bindings.map(\.name) == ["doubled"])
        #expect(runbook.remediation.count == 2)
        #expect(runbook.remediation[0].actions.map(\.kind) == [.rolloutRestart])
        #expect(runbook.remediation[1].actions[0].kind == .setEnv)
    }

    @Test func unknownFieldIsAnErrorWithASuggestion() {
        let text = Self.valid.replacingOccurrences(of: "    cel: c.restartCount > 2", with: "    cell: c.restartCount > 2")
        let error = loadError(text)
        #expect(error?.description == "runbooks/x.yaml:11:5: detect[0].cell: unknown field 'cell' (did you mean 'cel'?)")
    }

    /// `suspend-sync` is medic's own step under `gitops: suspend`, never a runbook's fix.
    @Test func anActionMedicProposesItselfIsRefused() {
        let text = Self.valid.replacingOccurrences(of: "action: rollout-restart", with: "action: suspend-sync")
        let error = loadError(text)
        #expect(error?.field.hasSuffix(".action") == true)
        #expect(error?.message.hasPrefix("suspend-sync is not for runbooks: medic proposes it itself") == true)
    }

    @Test func missingRequiredFieldNamesIt() {
        let text = Self.valid.replacingOccurrences(of: "  severity: high\n", with: "")
        #expect(loadError(text)?.description == "runbooks/x.yaml:4:3: metadata.severity: required field is missing")
    }

    @Test func wrongChoiceSuggestsTheRightOne() {
        let text = Self.valid.replacingOccurrences(of: "target: workload", with: "target: workloads")
        #expect(loadError(text)?.description
            == "runbooks/x.yaml:7:9: target: 'workloads' is not one of workload, service (did you mean 'workload'?)")
    }

    @Test func celSyntaxErrorPointsIntoTheExpression() {
        let text = Self.valid.replacingOccurrences(of: "    cel: c.restartCount > 2", with: "    cel: c.restartCount >> 2")
        let error = loadError(text)
        #expect(error?.file == "runbooks/x.yaml")
        #expect(error?.line == 11)
        #expect(error?.column == 26)
        #expect(error?.field == "detect[0].cel")
    }

    @Test func celErrorInAFoldedBlockPointsAtTheFileLine() {
        let text = Self.valid.replacingOccurrences(
            of: "    cel: c.restartCount > 2",
            with: "    cel: >\n      c.restartCount > 2\n      && c.ready ==")
        let error = loadError(text)
        #expect(error?.line == 13)
        #expect(error?.field == "detect[0].cel")
    }

    @Test func unknownActionSuggests() {
        let text = Self.valid.replacingOccurrences(of: "action: rollout-restart", with: "action: rollout-restrat")
        let error = loadError(text)
        #expect(error?.line == 25)
        #expect(error?.description.contains("'rollout-restrat' is not one of") == true)
        #expect(error?.description.contains("(did you mean 'rollout-restart'?)") == true)
    }

    @Test func actionParametersAreChecked() {
        let text = Self.valid.replacingOccurrences(of: "        container: \"{{ c.name }}\"\n", with: "        containr: x\n")
        #expect(loadError(text)?.description.contains("unknown field 'containr' (did you mean 'container'?)") == true)
        let missing = Self.valid.replacingOccurrences(of: "        env:\n          \"{{ c.name }}_OFF\": \"0\"", with: "")
        #expect(loadError(missing)?.message == "set-env needs 'env'")
    }

    static let servicePort = """
    apiVersion: medic.io/v1
    kind: Runbook
    metadata:
      name: port-sample
      severity: high
      title: A Service port aimed at nothing
    target: service
    detect:
      - id: no-endpoints
        cel: service.endpoints.ready == 0
    summary: "{{ service.name }} has no endpoints"
    remediate:
      - actions:
          - action: patch-service-port
            port: http
            targetPort: "{{ 3000 }}"
            from: "{{ service.ports[0].targetPort }}"
    """

    @Test func patchServicePortTakesPortTargetPortAndFrom() throws {
        let runbook = try RunbookLoader.parse(Self.servicePort, file: "runbooks/port-sample.yaml")
        let action = try #require(runbook.remediation.first?.actions.first)
        #expect(action.kind == .patchServicePort)
        #expect(action.parameters.keys.sorted() == ["from", "port", "targetPort"])
        for name in ["port", "targetPort", "from"] {
            let missing = Self.servicePort.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("        \(name):") }.joined(separator: "\n")
            #expect(loadError(missing)?.message == "patch-service-port needs '\(name)'", "without \(name)")
        }
        let misspelt = Self.servicePort.replacingOccurrences(of: "        targetPort:", with: "        targetport:")
        #expect(loadError(misspelt)?.description.contains("unknown field 'targetport' (did you mean 'targetPort'?)") == true)
        let mapping = Self.servicePort.replacingOccurrences(of: "        port: http", with: "        port: {name: http}")
        #expect(loadError(mapping)?.message == "expected a string, found a mapping")
        let extra = Self.servicePort.replacingOccurrences(of: "        port: http", with: "        port: http\n        protocol: TCP")
        #expect(loadError(extra)?.description.contains("unknown field 'protocol'") == true)
    }

    @Test func optionWithoutWhenMustBeLast() {
        let text = Self.valid.replacingOccurrences(of: "  - when: c.restartCount > 10\n", with: "  - \n")
        #expect(loadError(text)?.message.contains("can never be chosen") == true)
    }

    @Test func metricConditionNeedsOneThreshold() {
        let text = Self.valid.replacingOccurrences(of: "    above: 0.5\n", with: "")
        #expect(loadError(text)?.message == "a promql condition needs exactly one of 'above' or 'below'")
        let both = Self.valid.replacingOccurrences(of: "    above: 0.5\n", with: "    above: 0.5\n    below: 0.1\n")
        #expect(loadError(both)?.message == "a promql condition needs exactly one of 'above' or 'below'")
    }

    @Test func badDurationIsNamed() {
        let text = Self.valid.replacingOccurrences(of: "for: 5m", with: "for: five minutes")
        #expect(loadError(text)?.description
            == "runbooks/x.yaml:15:10: detect[1].for: expected a duration such as 30s, 5m or 1h30m, found 'five minutes'")
    }

    @Test func invalidYAMLGivesItsPosition() {
        let error = loadError("apiVersion: medic.io/v1\nkind: [Runbook\n")
        #expect(error?.file == "runbooks/x.yaml")
        #expect(error?.message.hasPrefix("invalid YAML") == true)
        #expect((error?.line ?? 0) >= 2)
    }

    @Test func wrongKindAndVersionAreRefused() {
        #expect(loadError(Self.valid.replacingOccurrences(of: "kind: Runbook", with: "kind: Policy"))?.message
            == "expected kind: Runbook, found 'Policy'")
        #expect(loadError(Self.valid.replacingOccurrences(of: "medic.io/v1", with: "medic.io/v2"))?.message
            == "unsupported apiVersion 'medic.io/v2' (expected medic.io/v1)")
    }

    @Test func builtInRunbooksAllLoad() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("runbooks")
        let runbooks = try RunbookLoader.loadDirectory(directory)
        #expect(Set(runbooks.map(\.id)).isSuperset(of: ["pool-exhaustion", "oom-killed", "selector-mismatch",
                                                         "probe-port", "chaos-flag", "bad-image"]))
    }

    @Test func durations() {
        #expect(CELTime.parseDuration("1h30m") == 5400)
        #expect(CELTime.parseDuration("250ms") == 0.25)
        #expect(CELTime.parseDuration("5") == nil)
        #expect(CELTime.parseDuration("m") == nil)
        #expect(CELTime.format(duration: 5400) == "1h30m")
        #expect(CELTime.format(duration: 330) == "5m30s")
    }
}
