import Foundation
import MedicKube
import Testing

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2024-05-01T10:00:00Z", 1_714_557_600.0),
        ("2024-05-01T10:00:00.123456Z", 1_714_557_600.123456),
        ("2024-05-01T10:00:00.5Z", 1_714_557_600.5),
        ("2024-05-01T12:00:00+02:00", 1_714_557_600.0),
        ("2024-05-01T05:30:00-04:30", 1_714_557_600.0),
        ("1970-01-01T00:00:00Z", 0),
        ("2000-02-29T00:00:00Z", 951_782_400),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(arguments: ["", "2024-05-01", "2024-05-01T10:00:00", "2024-13-01T10:00:00Z", "2024-05-01T10:00:00.Z",
                      "2024-05-01T10:00:00Zjunk", "yesterday", "2024-05-01T25:00:00Z"])
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsSecondsAndMicroseconds() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_714_557_600)) == "2024-05-01T10:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_714_557_600.123456)) == "2024-05-01T10:00:00.123456Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func agreesWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000.0, by: 86_399 * 37.3) {
            let date = Date(timeIntervalSince1970: seconds.rounded())
            let text = RFC3339.format(date)
            #expect(text == formatter.string(from: date))
            #expect(RFC3339.parse(text) == date)
        }
    }
}
