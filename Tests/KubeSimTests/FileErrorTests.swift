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
