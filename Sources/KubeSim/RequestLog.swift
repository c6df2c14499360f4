import Foundation
import Synchronization

/// Every resource request the HTTP front end received, one JSON line each (`time` in Unix
/// seconds, `method`, `path`, `query`, `userAgent`), in arrival order: how a test tells from the server's side
/// which client sent what, and when, like the apiserver's audit log.
final class RequestLog: Sendable {
    private let file: Mutex<FileHandle>

    /// Creates (or truncates) the file at `url`.
    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        file = Mutex(try FileHandle(forWritingTo: url))
    }

    func record(method: String, path: String, query: String?, userAgent: String) {
        let line: [String: Any] = [
            "time": Date().timeIntervalSince1970, "method": method, "path": path, "query": query ?? "", "userAgent": userAgent,
        ]
        guard var data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        data.append(0x0A)
        file.withLock { $0.write(data) }
    }
}

extension KubeSim {
    /// Writes a line to `url` for every resource request from now on (`kube-sim --request-log`).
    public func logRequests(to url: URL) throws {
        let log = try RequestLog(url: url)
        requestLog.withLock { $0 = log }
    }
}
