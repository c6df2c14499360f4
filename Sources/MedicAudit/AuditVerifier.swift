import Foundation

/// Checks a log's hash chain and numbering, and names the first line where it breaks and the
/// most likely cause. What it can and cannot detect is in docs/audit-log.md.
public enum AuditVerifier {
    public struct Options: Sendable, Equatable {
        /// Report a log that does not end in a seal record (a clean close) as truncated.
        public var requireSeal: Bool
        /// `seq` and line hash known from elsewhere (a previous verify, a ticket, an Event):
        /// catches a log cut back to an earlier seal or rewritten whole.
        public var anchor: (seq: Int, hash: String)?

        public init(requireSeal: Bool = false, anchor: (seq: Int, hash: String)? = nil) {
            self.requireSeal = requireSeal
            self.anchor = anchor
        }

        public static func == (lhs: Options, rhs: Options) -> Bool {
            lhs.requireSeal == rhs.requireSeal && lhs.anchor?.seq == rhs.anchor?.seq && lhs.anchor?.hash == rhs.anchor?.hash
        }
    }

    public static func verify(_ url: URL, options: Options = Options()) throws(AuditError) -> AuditVerification {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AuditError(.unreadable, "cannot read the audit log \(url.path): \(error.localizedDescription)")
        }
        return verify(data, options: options)
    }

    public static func verify(_ data: Data, options: Options = Options()) -> AuditVerification {
        let (lines, partial) = AuditChain.split(data)
        if lines.isEmpty, partial == nil {
            return .tampered(Tampering(line: 1, problem: .truncated, message: "the log is empty: even its genesis record is missing"))
        }
        let decoded = lines.map { try? AuditRecord.decode($0) }
        var log = ""
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let record: AuditRecord
            do {
                record = try AuditRecord.decode(line)
            } catch {
                return .tampered(Tampering(line: number, problem: .malformed,
                                           message: "not a valid audit record (\(error.message)): it was edited or damaged"))
            }
            if let problem = numbering(record.seq, line: number, all: decoded) { return .tampered(problem) }
            if index == 0 {
                guard record.type == .genesis, let name = record.payload.log else {
                    return .tampered(Tampering(line: 1, problem: .malformed,
                                               message: "the first record is of type \(record.type.rawValue), not genesis: the start of the log was removed or replaced"))
                }
                log = name
                if record.prev != AuditChain.genesis(log: name) {
                    return .tampered(Tampering(line: 1, problem: .edited,
                                               message: "prev is not the genesis hash of log '\(name)': line 1 was edited"))
                }
            } else if record.prev != AuditChain.hash(lines[index - 1]) {
                return .tampered(Tampering(line: number, problem: .edited,
                                           message: "prev is not the SHA-256 of line \(index): line \(index) was edited, or line \(number) forged"))
            }
            if record.type == .seal, record.payload.records != index {
                return .tampered(Tampering(line: number, problem: .malformed,
                                           message: "the seal counts \(record.payload.records.map(String.init) ?? "no") records before it, but \(index) come before it"))
            }
        }
        if let partial {
            return .tampered(Tampering(line: lines.count + 1, problem: .truncated,
                                       message: "the last line is incomplete (\(partial.count) bytes, no newline): the log was cut mid-record or a write was interrupted"))
        }
        let last = decoded.last!!
        let head = AuditChain.hash(lines.last!)
        if let anchor = options.anchor {
            guard anchor.seq <= lines.count else {
                return .tampered(Tampering(line: lines.count + 1, problem: .truncated,
                                           message: "the log ends at seq \(lines.count), but the anchor names seq \(anchor.seq): records were removed from the end"))
            }
            if AuditChain.hash(lines[max(anchor.seq, 1) - 1]) != anchor.hash.lowercased() {
                return .tampered(Tampering(line: anchor.seq, problem: .edited,
                                           message: "the line's SHA-256 is not the anchor's: the log was rewritten up to here"))
            }
        }
        if options.requireSeal, last.type != .seal {
            return .tampered(Tampering(line: lines.count, problem: .truncated,
                                       message: "the last record is of type \(last.type.rawValue), not a seal: records after it may have been removed (or medic is still writing the log)"))
        }
        return .intact(AuditSummary(log: log, records: lines.count, sealed: last.type == .seal, head: "\(last.seq):\(head)"))
    }

    /// Seq must equal the line number; when it does not, the other lines tell deletion from
    /// reordering from insertion.
    private static func numbering(_ seq: Int, line: Int, all: [AuditRecord?]) -> Tampering? {
        guard seq != line else { return nil }
        let seqs = all.map { $0?.seq }
        if seq < line {
            if let earlier = seqs[..<(line - 1)].firstIndex(of: seq) {
                return Tampering(line: line, problem: .inserted,
                                 message: "seq \(seq) repeats line \(earlier + 1): a record was inserted before line \(line)")
            }
            return Tampering(line: line, problem: .reordered, message: "seq \(seq) comes after seq \(line - 1): records were reordered")
        }
        if let later = seqs[line...].firstIndex(of: line) {
            return Tampering(line: line, problem: .reordered,
                             message: "seq \(seq) comes before seq \(line) (line \(later + 1)): records were reordered")
        }
        let missing = seq - line == 1 ? "record \(line) was" : "records \(line)–\(seq - 1) were"
        return Tampering(line: line, problem: .deleted, message: "seq \(seq) follows seq \(line - 1): \(missing) deleted")
    }
}

/// The verifier's answer.
public enum AuditVerification: Sendable, Equatable {
    case intact(AuditSummary)
    case tampered(Tampering)
}

/// An intact log: how much it holds and its head, to keep as an anchor.
public struct AuditSummary: Sendable, Equatable, CustomStringConvertible {
    public var log: String
    public var records: Int
    public var sealed: Bool
    /// `seq:sha256` of the last line.
    public var head: String

    public var description: String {
        "ok: log '\(log)', \(records) records, \(sealed ? "sealed" : "not sealed (live, or cut short after a record)"), head \(head)"
    }
}

/// The first place the log stops being what medic wrote.
public struct Tampering: Sendable, Equatable, CustomStringConvertible {
    public enum Problem: String, Sendable {
        case edited, deleted, reordered, inserted, truncated, malformed
    }

    public var line: Int
    public var problem: Problem
    public var message: String

    public var description: String { "line \(line): \(message)" }
}
