import Foundation
import Testing
@testable import MedicKube

/// Which containers' previous logs the live reader fetches: a crash loop is seen whether the
/// snapshot catches the container waiting out its back-off or running between two crashes.
@Suite struct CrashLoopingTests {
    static let now = RFC3339.parse("2026-11-20T03:00:00Z")!

    static func pod(_ statuses: String) throws -> Pod {
        try KubeJSON.makeDecoder().decode(Pod.self, from: Data("""
            {"metadata": {"name": "geo-1", "namespace": "hotel"}, "spec": {"containers": []},
             "status": {"phase": "Running", "containerStatuses": [\(statuses)]}}
            """.utf8))
    }

    @Test("waiting in CrashLoopBackOff, running again 40 s after a failure, or just terminated: crash-looping")
    func loops() throws {
        let pod = try Self.pod("""
            {"name": "waiting", "ready": false, "restartCount": 3, "image": "x",
             "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {}},
            {"name": "between", "ready": true, "restartCount": 6, "image": "x",
             "state": {"running": {"startedAt": "2026-11-20T02:59:25Z"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-20T02:59:20Z"}}},
            {"name": "just-died", "ready": false, "restartCount": 2, "image": "x",
             "state": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-20T02:59:58Z"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-20T02:59:30Z"}}}
            """)
        #expect(ClusterSnapshotReader.crashLooping(pod, at: Self.now) == ["waiting", "between", "just-died"])
    }

    @Test("a failure older than the back-off window, a clean exit, or no restart at all: not crash-looping")
    func healed() throws {
        let pod = try Self.pod("""
            {"name": "healed", "ready": true, "restartCount": 6, "image": "x",
             "state": {"running": {"startedAt": "2026-11-20T01:00:05Z"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-20T01:00:00Z"}}},
            {"name": "clean-exit", "ready": true, "restartCount": 1, "image": "x",
             "state": {"running": {"startedAt": "2026-11-20T02:59:25Z"}},
             "lastState": {"terminated": {"exitCode": 0, "reason": "Completed", "finishedAt": "2026-11-20T02:59:20Z"}}},
            {"name": "fresh", "ready": true, "restartCount": 0, "image": "x",
             "state": {"running": {"startedAt": "2026-11-20T02:00:00Z"}}, "lastState": {}}
            """)
        #expect(ClusterSnapshotReader.crashLooping(pod, at: Self.now) == [])
    }
}
