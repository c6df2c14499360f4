import MedicKube
import Testing

/// The one duration notation: what CEL, runbooks, policies, runbook tests, `medic run` and
/// KubeSim scenarios all accept.
@Suite struct GoDurationTests {
    @Test(arguments: [("30s", 30.0), ("5m", 300.0), ("1h30m", 5400.0), ("250ms", 0.25), ("1d", 86400.0),
                      ("1w", 604_800.0), ("-1.5s", -1.5), ("0", 0.0), (".5s", 0.5)])
    func parses(_ text: String, _ seconds: Double) {
        #expect(GoDuration.seconds(text) == seconds)
    }

    @Test(arguments: ["", "5", "m", "1.2.3s", "-", "1x", "1h 30m"])
    func refuses(_ text: String) {
        #expect(GoDuration.seconds(text) == nil)
    }

    @Test func printsCompactlyAndAsGo() {
        #expect([300, 5400, 90, 0.5, 0].map(GoDuration.compact) == ["5m", "1h30m", "1m30s", "500ms", "0s"])
        #expect([40, 300, 4500].map(GoDuration.text) == ["40s", "5m0s", "1h15m0s"])
    }
}
