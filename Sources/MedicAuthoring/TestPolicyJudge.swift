import Foundation
import MedicDiagnosis
import MedicPolicy
import MedicRemediation

/// A test's policy, deciding about the actions its findings propose as the gate would at
/// `eval_time`, on the context `TestDecisionContext` builds from the test's objects.
public struct TestPolicyJudge {
    var policy: Policy
    var cluster: ClusterView
    var now: Date

    func decide(_ remediation: Remediation) -> Decision {
        PolicyGate(policy: policy).decide(remediation, context: TestDecisionContext.make(for: remediation, in: cluster, now: now))
    }
}
