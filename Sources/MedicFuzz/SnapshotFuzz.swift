import Foundation
import MedicKube

extension FuzzTarget {
    /// `Snapshot.decode`, what `medic advise -f` and `medic snapshot` read: a `List`, a typed
    /// list or one object; a syntax error must point inside the input.
    public static let snapshot = FuzzTarget(name: "snapshot") { input in
        do throws(SnapshotError) {
            _ = try Snapshot.decode(input, source: "fuzz.json")
        } catch {
            if let line = error.line, let column = error.column {
                return InputExtent(String(decoding: input, as: UTF8.self)).check(line: line, column: column, in: error.description)
            }
        }
        return nil
    }
}
