import Foundation
import Testing
@testable import MedicRunbook

/// `metadata.triggers`: the alert names a runbook answers, checked where they are written.
@Suite struct RunbookTriggersTests {
    static func runbook(triggers: String) -> String {
        RunbookLoaderTests.valid.replacingOccurrences(of: "  title: A sample\n", with: "  title: A sample\n  triggers: \(triggers)\n")
    }

    @Test func triggersAreAlertNames() throws {
        let runbook = try RunbookLoader.parse(Self.runbook(triggers: "[KubePodCrashLooping, KubePodOOMKilled]"),
                                              file: "runbooks/sample.yaml")
        #expect(runbook.triggers == ["KubePodCrashLooping", "KubePodOOMKilled"])
        #expect(try RunbookLoader.parse(RunbookLoaderTests.valid, file: "runbooks/sample.yaml").triggers == [])
    }

    @Test func aBadTriggerNamesFileLineAndField() {
        func error(_ triggers: String) -> String? {
            do { _ = try RunbookLoader.parse(Self.runbook(triggers: triggers), file: "runbooks/x.yaml"); return nil } catch {
                return error.description
            }
        }
        #expect(error("[Kube Pod]") == "runbooks/x.yaml:7:14: metadata.triggers[0]: 'Kube Pod' is not an alert name: "
            + "letters, digits and '_', like KubePodCrashLooping (the alertname label of the Prometheus rule)")
        #expect(error("[A, A]")?.hasSuffix("metadata.triggers[1]: 'A' is listed twice") == true)
        #expect(error("KubePodCrashLooping")?.hasSuffix("metadata.triggers: expected a list, found a scalar") == true)
    }

    /// The built-in mapping covers every kubernetes-mixin alert medic answers, and the OOMKilled rule.
    @Test func theBuiltInRunbooksAnswerTheMixinAlerts() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../runbooks")
        var answers: [String: [String]] = [:]
        for runbook in try RunbookLoader.loadDirectory(directory) {
            for name in runbook.triggers { answers[name, default: []].append(runbook.id) }
        }
        for name in ["KubePodCrashLooping", "KubePodNotReady", "KubeDeploymentReplicasMismatch", "KubeDeploymentRolloutStuck",
                     "KubeContainerWaiting", "KubeHpaMaxedOut", "CPUThrottlingHigh", "KubeQuotaExceeded", "KubePodOOMKilled"] {
            #expect(answers[name]?.isEmpty == false, "no runbook lists \(name) in metadata.triggers")
        }
        #expect(answers["KubeQuotaExceeded"] == ["quota-exceeded"])
        #expect(answers["KubePodOOMKilled"] == ["oom-killed"])
        #expect(answers["KubePodCrashLooping"]?.contains("missing-env") == true)
    }
}
