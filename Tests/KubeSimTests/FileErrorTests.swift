import Foundation
import KubeSim
import Testing

/// A path that is not there says which file and what kind of file was expected.
@Suite("file errors")
struct KubeSimFileErrorTests {
    @Test func aMissingScenarioNamesItsPathAndKind() {
        do {
            _ = try ScenarioLoader.load(file: "/nonexistent/incident.yaml")
            Issue.record("a missing scenario file loaded")
        } catch {
            #expect(error.description == "/nonexistent/incident.yaml: cannot read it; expected a scenario (one YAML file with kind: Scenario)")
        }
    }
}

/// Scenario times are the shared duration notation, and never negative.
@Suite("scenario durations")
struct ScenarioDurationTests {
    @Test func aNegativeTimeIsRefusedWithTheNotation() {
        let text = """
            apiVersion: kubesim.medic.io/v1
            kind: Scenario
            metadata: {name: tiny}
            spec:
              history: -1h
            """
        do {
            _ = try ScenarioLoader.load(text, source: "tiny.yaml")
            Issue.record("a negative history loaded")
        } catch {
            #expect(error.description == "tiny.yaml: spec.history: expected a duration such as 250ms, 30s, 1h15m")
        }
    }
}
