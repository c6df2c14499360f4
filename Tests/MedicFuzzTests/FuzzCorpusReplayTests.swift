import Foundation
import KubeSim
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

    /// A short mutation run beside the replay: 400 inputs per target made from its seeds the
    /// way libFuzzer starts (a byte changed, a range dropped or repeated, two seeds spliced),
    /// from a fixed seed so a failure comes back on every run. The long runs are bench/fuzz.sh's.
    @Test(arguments: targets.map(\.name))
    func mutatedSeedsKeepTheirPromises(_ name: String) throws {
        let target = try #require(Self.targets.first { $0.name == name })
        let seeds = try Self.inputs("Corpus", of: target).map { try [UInt8](Data(contentsOf: $0)) }.filter { !$0.isEmpty }
        try #require(!seeds.isEmpty)
        var random = Mutator(random: SplitMix64(name: name))
        for round in 0..<400 {
            let input = random.mutate(seeds[round % seeds.count], other: seeds[random.below(seeds.count)])
            let violation = target.run(Data(input))
            #expect(violation == nil, "round \(round): \(violation?.description ?? "") on \(String(decoding: input.prefix(300), as: UTF8.self))")
        }
    }

    /// A handful of libFuzzer's mutations, drawn from KubeSim's seeded generator.
    struct Mutator {
        var random: SplitMix64

        mutating func next() -> UInt64 { random.next() }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

        mutating func mutate(_ seed: [UInt8], other: [UInt8]) -> [UInt8] {
            var bytes = seed
            for _ in 0...below(3) {
                guard !bytes.isEmpty else { return other }
                let at = below(bytes.count)
                switch below(5) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: next())
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
                case 2: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 1 + below(16))], at: below(bytes.count))
                case 3: bytes.insert([UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: ":"), UInt8(ascii: "\""), 0, 0xFF][below(6)], at: at)
                default: bytes = Array(bytes[..<at]) + Array(other[below(other.count)...])
                }
            }
            return bytes
        }
    }

    @Test func targetNamesAreUniqueAndHaveACorpusDirectory() throws {
        let names = Self.targets.map(\.name)
        #expect(Set(names).count == names.count)
        let directories = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzDirectory.appendingPathComponent("Corpus").path)
        #expect(Set(directories) == Set(names))
    }
}
