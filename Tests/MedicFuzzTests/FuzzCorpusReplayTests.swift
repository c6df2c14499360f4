import Foundation
import MedicFuzz
import MedicFuzzServer
import Testing

/// The fuzz smoke run of `make test`: every seed and every input a fuzzer once crashed on goes
/// through the same target body libFuzzer drives (Fuzz/, bench/fuzz.sh), without sanitizers.
@Suite struct FuzzCorpusReplayTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static let targets = FuzzTarget.parsers + FuzzTarget.servers

    static func inputs(_ kind: String, of target: FuzzTarget) throws -> [URL] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.name)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: targets.map(\.name))
    func seedsAndRegressionsKeepTheirPromises(_ name: String) throws {
        let target = try #require(Self.targets.first { $0.name == name })
        let seeds = try Self.inputs("Corpus", of: target)
        #expect(!seeds.isEmpty, "every target has a seed corpus in Fuzz/Corpus/\(name)")
        for file in try seeds + Self.inputs("Regressions", of: target) {
            let violation = target.run(try Data(contentsOf: file))
            #expect(violation == nil, "\(file.lastPathComponent): \(violation?.description ?? "")")
        }
    }

    @Test func targetNamesAreUniqueAndHaveACorpusDirectory() throws {
        let names = Self.targets.map(\.name)
        #expect(Set(names).count == names.count)
        let directories = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzDirectory.appendingPathComponent("Corpus").path)
        #expect(Set(directories) == Set(names))
    }
}
