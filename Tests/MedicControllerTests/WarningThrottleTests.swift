import Testing
@testable import MedicController

/// A busy cluster wakes a pass every fraction of a second; a lasting read problem is one log
/// line per interval, not one per pass.
@Suite struct WarningThrottleTests {
    static let logs = #"medic cannot get logs of pods "api-1" in namespace "shop": HTTP 400 (and 444 more like it)"#
    static let configMaps = "ConfigMaps are not checked: forbidden"

    @Test func aKindIsLoggedWhenItAppearsThenOncePerInterval() {
        let throttle = WarningThrottle(every: .seconds(30))
        let start = ContinuousClock.now
        #expect(throttle.toLog([Self.logs], at: start) == [Self.logs])
        // The same kind with other names and counts, a moment later: not again.
        let later = #"medic cannot get logs of pods "web-2" in namespace "shop": HTTP 400 (and 445 more like it)"#
        #expect(throttle.toLog([later], at: start + .seconds(1)) == [])
        // A new kind meanwhile is logged at once; the lasting one again after the interval.
        #expect(throttle.toLog([later, Self.configMaps], at: start + .seconds(2)) == [Self.configMaps])
        #expect(throttle.toLog([later, Self.configMaps], at: start + .seconds(31)) == [later])
    }

    @Test func aKindThatWentAwayIsLoggedAtOnceWhenItReturns() {
        let throttle = WarningThrottle(every: .seconds(30))
        let start = ContinuousClock.now
        #expect(throttle.toLog([Self.logs], at: start) == [Self.logs])
        #expect(throttle.toLog([], at: start + .seconds(1)) == [])
        #expect(throttle.toLog([Self.logs], at: start + .seconds(2)) == [Self.logs])
    }
}
