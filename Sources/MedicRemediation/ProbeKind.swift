/// Which of a container's probes `patch-probe` rewrites; the raw value prefixes the
/// container field name (`livenessProbe`, `readinessProbe`, `startupProbe`).
public enum ProbeKind: String, Sendable, Codable, CaseIterable {
    case liveness, readiness, startup

    var fieldName: String { rawValue + "Probe" }
}
