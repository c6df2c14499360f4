import Foundation
import MedicKube

/// Test inputs stored beside the tests, found through `#filePath` so Package.swift needs no resources.
enum Fixture {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    static func snapshot(_ name: String) throws -> Snapshot {
        try Snapshot.load(contentsOf: url(name))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try KubeJSON.makeDecoder().decode(T.self, from: Data(contentsOf: url(name)))
    }

    /// A UTC date from its parts, to compare decoded timestamps against.
    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)!
    }
}
