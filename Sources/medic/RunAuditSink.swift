import MedicAudit
import ServiceLifecycle

/// The audit log as a service: first in the group, so it is open before anything acts, and
/// last to stop, sealing the log once every other service has finished.
struct RunAuditSink: Service {
    var log: AuditLog

    func run() async throws {
        try? await gracefulShutdown()
        _ = try await log.seal()
    }
}
