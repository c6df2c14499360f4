import Foundation
import MedicKube

/// Durations as runbook authors write them in CEL (`duration("1h30m")`) and in `for:` /
/// `step:` fields: MedicKube's `GoDuration`, the one parser and printer medic has, under the
/// names CEL's code and its callers use. Timestamps use MedicKube's `RFC3339`, the parser
/// snapshots are read with.
public enum CELTime {
    /// `GoDuration.seconds`: `1h30m`, `-1.5s`, `250ms`, `1d`; nil when not a duration.
    public static func parseDuration(_ text: String) -> Double? { GoDuration.seconds(text) }

    /// `GoDuration.compact`: `5m`, `1h30m`, `500ms`, `0s`.
    public static func format(duration seconds: Double) -> String { GoDuration.compact(seconds) }
}
