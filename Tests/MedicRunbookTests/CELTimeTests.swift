import MedicKube
import Foundation
import Testing

@testable import MedicRunbook

@Suite struct CELTimeTests {
    let now = CELValue.timestamp(Date(timeIntervalSince1970: 1_714_564_800))  // 2024-05-01T12:00:00Z

    @Test func durationLiterals() throws {
        #expect(try evaluate("duration('1h30m')") == .duration(5400))
        #expect(try evaluate("duration('30m')") == .duration(1800))
        #expect(try evaluate("duration('1.5s')") == .duration(1.5))
        #expect(try evaluate("duration('250ms')") == .duration(0.25))
        #expect(try evaluate("duration('-2m')") == .duration(-120))
        #expect(try evaluate("duration('0')") == .duration(0))
        #expect(try evaluate("duration(90)") == .duration(90))
        #expect(try evaluate("duration(0.5)") == .duration(0.5))
        #expect(failure("duration('30')")?.message == "invalid duration '30' (use e.g. '30m', '1h30m', '500ms', '45s')")
        #expect(try evaluate("duration('1d')") == .duration(86400))
        #expect(failure("duration('1y')")?.message.hasPrefix("invalid duration '1y'") == true)
        #expect(failure("duration('')")?.message.hasPrefix("invalid duration ''") == true)
    }

    @Test func timestampLiterals() throws {
        #expect(try evaluate("timestamp('2024-05-01T12:00:00Z')") == now)
        #expect(try evaluate("timestamp('2024-05-01T14:00:00+02:00')") == now)
        #expect(try evaluate("timestamp('2024-05-01t11:30:00.5-00:30')") == .timestamp(Date(timeIntervalSince1970: 1_714_564_800.5)))
        #expect(try evaluate("timestamp(1714564800)") == now)
        #expect(failure("timestamp('2024-02-30T00:00:00Z')")?.message.hasPrefix("invalid timestamp '2024-02-30T00:00:00Z'") == true)
        #expect(failure("timestamp('2024-05-01 12:00')")?.message.hasPrefix("invalid timestamp") == true)
        #expect(failure("timestamp('2024-05-01T12:00:00')")?.message.hasPrefix("invalid timestamp") == true)
    }

    @Test func arithmetic() throws {
        let bindings: [String: CELValue] = ["now": now, "finished": .timestamp(Date(timeIntervalSince1970: 1_714_564_800 - 600))]
        #expect(try evaluate("now - finished", bindings) == .duration(600))
        #expect(try evaluate("now - finished < duration('30m')", bindings) == true)
        #expect(try evaluate("finished + duration('10m') == now", bindings) == true)
        #expect(try evaluate("duration('10m') + finished == now", bindings) == true)
        #expect(try evaluate("now - duration('10m') == finished", bindings) == true)
        #expect(try evaluate("duration('1h') + duration('30m')") == .duration(5400))
        #expect(try evaluate("duration('1h') - duration('90m')") == .duration(-1800))
        #expect(try evaluate("duration('5m') * 2") == .duration(600))
        #expect(try evaluate("1.5 * duration('1m')") == .duration(90))
        #expect(try evaluate("duration('1h') / 4") == .duration(900))
        #expect(try evaluate("duration('1h') / duration('15m')") == 4.0)
        #expect(try evaluate("-duration('1m')") == .duration(-60))
        #expect(try evaluate("finished < now && duration('1s') > duration('999ms')", bindings) == true)
        #expect(failure("now + now", bindings)?.message == "no such overload: google.protobuf.Timestamp + google.protobuf.Timestamp")
        #expect(failure("duration('1m') * 'x'")?.message == "no such overload: google.protobuf.Duration * string")
        #expect(failure("now < duration('1m')", bindings)?.message == "no such overload: google.protobuf.Timestamp < google.protobuf.Duration")
    }

    @Test func durationRendering() {
        #expect(CELTime.format(duration: 300) == "5m")
        #expect(CELTime.format(duration: 5400) == "1h30m")
        #expect(CELTime.format(duration: 90) == "1m30s")
        #expect(CELTime.format(duration: 0.5) == "500ms")
        #expect(CELTime.format(duration: 0.0015) == "1.5ms")
        #expect(CELTime.format(duration: 0) == "0s")
        #expect(CELTime.format(duration: -90) == "-1m30s")
        #expect(CELTime.format(duration: 3600) == "1h")
        #expect(CELTime.format(duration: 36 * 3600 + 1) == "36h1s")
        #expect(CELTime.format(duration: 61.25) == "1m1.25s")
    }

    @Test func durationParsingRoundTrips() {
        for text in ["5m", "1h30m", "1m30s", "500ms", "1.5ms", "36h1s", "1m1.25s", "-1m30s"] {
            #expect(CELTime.parseDuration(text).map(CELTime.format(duration:)) == text)
        }
        #expect(CELTime.parseDuration("1h1h") == 7200)
        #expect(CELTime.parseDuration(".5s") == 0.5)
        #expect(CELTime.parseDuration("1.2.3s") == nil)
        #expect(CELTime.parseDuration("h") == nil)
        #expect(CELTime.parseDuration("-") == nil)
    }

    @Test func timestampRendering() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_714_564_800)) == "2024-05-01T12:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_714_564_800.25)) == "2024-05-01T12:00:00.250000Z")
    }

    @Test func timestampParsingRoundTrips() {
        for text in ["2024-05-01T12:00:00Z", "2000-02-29T23:59:59Z", "1969-07-20T20:17:40Z", "2099-12-31T00:00:00.500000Z"] {
            #expect(RFC3339.parse(text).map(RFC3339.format) == text)
        }
        #expect(RFC3339.parse("2023-02-29T00:00:00Z") == nil)
        #expect(RFC3339.parse("2024-13-01T00:00:00Z") == nil)
        #expect(RFC3339.parse("2024-05-01T24:00:00Z") == nil)
        #expect(RFC3339.parse("2024-05-01T12:00:00Zjunk") == nil)
    }
}
