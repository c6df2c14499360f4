import Foundation
import Testing
@testable import MedicAudit

@Suite struct AuditVerifierTests {
    private func tampered(_ edit: ([String]) -> [String], options: AuditVerifier.Options = AuditVerifier.Options()) async throws -> String {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        try fixture.write(edit(try fixture.lines()))
        switch try fixture.verify(options) {
        case .intact(let summary): return "intact: \(summary)"
        case .tampered(let tampering): return tampering.description
        }
    }

    @Test func editedByte() async throws {
        let result = try await tampered { lines in
            var lines = lines
            lines[1] = lines[1].replacingOccurrences(of: "20/20", with: "10/20")
            return lines
        }
        #expect(result == "line 3: prev is not the SHA-256 of line 2: line 2 was edited, or line 3 forged")
    }

    @Test func editedGenesis() async throws {
        let result = try await tampered { lines in
            [lines[0].replacingOccurrences(of: "shop-incidents", with: "other")] + lines.dropFirst()
        }
        #expect(result == "line 1: prev is not the genesis hash of log 'other': line 1 was edited")
    }

    @Test func editMakingInvalidJSON() async throws {
        let result = try await tampered { lines in
            var lines = lines
            lines[3] = String(lines[3].dropFirst())
            return lines
        }
        #expect(result == "line 4: not a valid audit record (not valid JSON): it was edited or damaged")
    }

    @Test func deletedRecord() async throws {
        #expect(try await tampered { lines in var lines = lines; lines.remove(at: 2); return lines }
            == "line 3: seq 4 follows seq 2: record 3 was deleted")
        #expect(try await tampered { lines in Array(lines[0..<2] + lines[4...]) }
            == "line 3: seq 5 follows seq 2: records 3–4 were deleted")
        #expect(try await tampered { lines in Array(lines.dropFirst()) }
            == "line 1: seq 2 follows seq 0: record 1 was deleted")
    }

    @Test func swappedRecords() async throws {
        #expect(try await tampered { lines in var lines = lines; lines.swapAt(2, 3); return lines }
            == "line 3: seq 4 comes before seq 3 (line 4): records were reordered")
    }

    @Test func forgedLineInserted() async throws {
        let result = try await tampered { lines in
            let forged = "{\"payload\":{\"summary\":\"all fine\"},\"prev\":\"\(AuditChain.hash(Data(lines[1].utf8)))\",\"seq\":3,\"time\":\"2026-11-20T03:00:02Z\",\"type\":\"finding\"}"
            return Array(lines[0..<2]) + [forged] + lines[2...]
        }
        #expect(result == "line 4: seq 3 repeats line 3: a record was inserted before line 4")
    }

    @Test func forgedLineWithWrongHash() async throws {
        let result = try await tampered { lines in
            var lines = lines
            lines[2] = "{\"payload\":{},\"prev\":\"\(String(repeating: "0", count: 64))\",\"seq\":3,\"time\":\"2026-11-20T03:00:02Z\",\"type\":\"approval\"}"
            return lines
        }
        #expect(result == "line 3: prev is not the SHA-256 of line 2: line 2 was edited, or line 3 forged")
    }

    @Test func truncatedMidLine() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try await fixture.writeIncident()
        let sealLength = try fixture.lines()[7].utf8.count
        var data = try Data(contentsOf: fixture.log)
        data.removeLast(21)
        try data.write(to: fixture.log)
        #expect(try fixture.verify() == .tampered(Tampering(line: 8, problem: .truncated,
            message: "the last line is incomplete (\(sealLength - 20) bytes, no newline): the log was cut mid-record or a write was interrupted")))
    }

    @Test func wholeRecordsCutFromTheEnd() async throws {
        let cut: ([String]) -> [String] = { Array($0.dropLast(2)) }
        #expect(try await tampered(cut).hasPrefix("intact: ok: log 'shop-incidents', 6 records, not sealed"),
                "without a seal requirement or an anchor, cutting whole records is invisible")
        #expect(try await tampered(cut, options: AuditVerifier.Options(requireSeal: true))
            == "line 6: the last record is of type verification, not a seal: records after it may have been removed (or medic is still writing the log)")
    }

    @Test func anchorCatchesCutsAndRewrites() async throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let log = try await fixture.writeIncident()
        let head = await log.head
        let parts = head.split(separator: ":")
        let anchor = AuditVerifier.Options(anchor: (Int(parts[0])!, String(parts[1])))
        guard case .intact = try fixture.verify(anchor) else { Issue.record("the untouched log fails its own anchor"); return }
        let lines = try fixture.lines()
        try fixture.write(Array(lines.dropLast()))
        #expect(try fixture.verify(anchor) == .tampered(Tampering(line: 8, problem: .truncated,
            message: "the log ends at seq 7, but the anchor names seq 8: records were removed from the end")))
        try fixture.write(Array(lines.dropLast()) + [lines[7].replacingOccurrences(of: "03:06:41", with: "03:06:42")])
        #expect(try fixture.verify(anchor) == .tampered(Tampering(line: 8, problem: .edited,
            message: "the line's SHA-256 is not the anchor's: the log was rewritten up to here")))
    }

    @Test func emptyAndUnreadable() throws {
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        try Data().write(to: fixture.log)
        #expect(try fixture.verify() == .tampered(Tampering(line: 1, problem: .truncated,
            message: "the log is empty: even its genesis record is missing")))
        let missing = fixture.directory.appendingPathComponent("nope.jsonl")
        #expect(throws: AuditError.self) { try AuditVerifier.verify(missing) }
    }
}
