import Testing
import MedicKube

/// Regression: day-of-month was only checked against 1...31, so 2023-02-29 parsed as 1 March.
@Test func impossibleCalendarDatesAreRejected() {
    #expect(RFC3339.parse("2023-02-29T00:00:00Z") == nil)
    #expect(RFC3339.parse("2024-02-30T00:00:00Z") == nil)
    #expect(RFC3339.parse("2024-04-31T00:00:00Z") == nil)
    #expect(RFC3339.parse("2024-02-29T00:00:00Z") != nil)
    #expect(RFC3339.parse("2000-02-29T00:00:00Z") != nil)
    #expect(RFC3339.parse("1900-02-29T00:00:00Z") == nil)
}
