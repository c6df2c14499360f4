import Foundation
import MedicPolicy
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The append-only audit log: one JSON line per record, each chained to the one before, each
/// on disk (fsync) before `append` returns, so an intent is durable before its request leaves.
/// Safe for one writer: the actor orders appends within the process, `O_APPEND` keeps every
/// write at the end of the file, and a second process writing the same file would break the
/// chain, which `verify` then reports.
///
/// It is also where the act stage's memory lives: the file is replayed into the ledger and
/// the gate's history once, when it opens, and each append updates both, so no reader
/// re-parses the file.
public actor AuditLog {
    public nonisolated let url: URL
    public nonisolated let name: String
    private let descriptor: Int32
    private var nextSeq: Int
    private var lastHash: String
    /// Every action, incident and escalation the log records, as of the last append.
    public private(set) var ledger = ActionLedger()
    /// The actions started and finished in apply mode, as the policy gate counts them.
    public private(set) var history = ActionHistory()
    /// The hash of every line the ledger has taken in: `adopt` skips what it already holds.
    private var known: Set<String> = []
    /// Receives each line this log writes, once it is on disk (`medic run --audit-stdout`).
    private let echo: (@Sendable (Data) -> Void)?

    /// Opens `url` for appending, creating it with a genesis record for `name` when it does not
    /// exist or is empty. An existing log keeps the name in its genesis record. A log whose last
    /// line is partial is refused: run `medic audit verify` on it and start a new file.
    /// `echo` gets every line written from now on, newline included, after its fsync: a copy
    /// of the chain for a log pipeline, which `medic audit verify` accepts as it is.
    public init(url: URL, name: String, now: Date = Date(), echo: (@Sendable (Data) -> Void)? = nil) throws(AuditError) {
        let existing: Data
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                existing = try Data(contentsOf: url)
            } catch {
                throw AuditError(.unreadable, "cannot read the audit log \(url.path): \(error.localizedDescription)")
            }
        } else {
            existing = Data()
        }
        let (lines, partial) = AuditChain.split(existing)
        if partial != nil {
            throw AuditError(.truncated, "the audit log \(url.path) ends in a partial line (line \(lines.count + 1)); run `medic audit verify` on it and start a new log")
        }
        var genesis: AuditRecord?
        if let last = lines.last {
            let records = try Self.decode(lines, path: url.path)
            self.name = records[0].payload.log ?? name
            nextSeq = records[records.count - 1].seq + 1
            lastHash = AuditChain.hash(last)
            for (record, line) in zip(records, lines) {
                ledger.apply(record)
                history.apply(record)
                known.insert(AuditChain.hash(line))
            }
        } else {
            self.name = name
            let record = AuditRecord(seq: 1, time: now, type: .genesis, payload: AuditPayload(log: name),
                                     prev: AuditChain.genesis(log: name))
            genesis = record
            nextSeq = 2
            lastHash = AuditChain.hash(try record.line())
        }
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw AuditError(.unwritable, "cannot open the audit log \(url.path) for appending: \(String(cString: strerror(errno)))")
        }
        self.url = url
        self.echo = echo
        descriptor = fd
        if let genesis {
            let written = try Self.writeLine(genesis, to: fd, path: url.path)
            echo?(written)
            Self.syncDirectory(of: url)
        }
    }

    deinit { close(descriptor) }

    /// Numbers, chains, writes and fsyncs `event`; returns the record as written.
    @discardableResult
    public func append(_ event: AuditEvent, at time: Date = Date()) throws(AuditError) -> AuditRecord {
        let record = AuditRecord(seq: nextSeq, time: time, type: event.type, incident: event.incident, action: event.action,
                                 target: event.target, payload: event.payload, prev: lastHash)
        let written = try Self.writeLine(record, to: descriptor, path: url.path)
        echo?(written)
        nextSeq += 1
        lastHash = AuditChain.hash(try record.line())
        ledger.apply(record)
        history.apply(record)
        known.insert(lastHash)
        return record
    }

    /// Takes into the ledger and history the records another medic wrote (lines kept in the
    /// cluster's Remediation objects) that this log has not seen, oldest first. They are not
    /// written to this file: its chain holds only what this replica recorded. Returns how many
    /// were new; a line that is not a record is named in the error and nothing is taken.
    @discardableResult
    public func adopt(_ lines: [String], from source: String) throws(AuditError) -> Int {
        let fresh = lines.filter { !known.contains(AuditChain.hash(Data($0.utf8))) }
        let records = try Self.decode(fresh.map { Data($0.utf8) }, path: source)
        for (record, line) in zip(records, fresh).sorted(by: { ($0.0.time, $0.0.seq) < ($1.0.time, $1.0.seq) }) {
            ledger.apply(record)
            history.apply(record)
            known.insert(AuditChain.hash(Data(line.utf8)))
        }
        return records.count
    }

    /// Closes a session cleanly: a log that ends in a seal was not cut short (docs/audit-log.md).
    /// Returns the seal, whose hash is worth keeping elsewhere as an anchor.
    @discardableResult
    public func seal(at time: Date = Date()) throws(AuditError) -> AuditRecord {
        try append(AuditEvent(type: .seal, payload: AuditPayload(records: nextSeq - 1)), at: time)
    }

    /// `seq:hash` of the last line written: the anchor `medic audit verify --anchor` checks.
    public var head: String { "\(nextSeq - 1):\(lastHash)" }

    /// Returns the bytes written: the record's line and its newline.
    private static func writeLine(_ record: AuditRecord, to fd: Int32, path: String) throws(AuditError) -> Data {
        var bytes = try record.line()
        bytes.append(UInt8(ascii: "\n"))
        let failure: String? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return fsync(fd) == 0 ? nil : "fsync: " + String(cString: strerror(errno))
        }
        if let failure {
            throw AuditError(.unwritable, "cannot write record \(record.seq) to the audit log \(path): \(failure)")
        }
        return bytes
    }

    /// A new file's directory entry must be durable too, or a crash can lose the whole file.
    private static func syncDirectory(of url: URL) {
        let fd = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Every record of the log at `url`, for `show` and recovery. Does not check the chain:
    /// use `AuditVerifier` for that. A partial last line is left out.
    public static func records(at url: URL) throws(AuditError) -> [AuditRecord] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AuditError(.unreadable, "cannot read the audit log \(url.path): \(error.localizedDescription)")
        }
        return try decode(AuditChain.split(data).lines, path: url.path)
    }

    private static func decode(_ lines: [Data], path: String) throws(AuditError) -> [AuditRecord] {
        var records: [AuditRecord] = []
        for (index, line) in lines.enumerated() {
            do {
                records.append(try AuditRecord.decode(line))
            } catch {
                throw AuditError(.malformed, "\(path):\(index + 1): not an audit record: \(error.message)")
            }
        }
        return records
    }
}
