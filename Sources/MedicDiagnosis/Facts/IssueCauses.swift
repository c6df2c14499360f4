import Foundation
import MedicKube

/// What an issue's text says the cause is, as short tags runbooks can test (`'taint' in
/// i.causes`), read from the exact wording of the scheduler, the quota admission plugin, the
/// container runtime and the kubelet's probes. A text can give several tags (the scheduler
/// lists a reason per group of nodes); a text no pattern knows gives none.
public enum IssueCauses {
    private static let patterns: [(tag: String, phrases: [String])] = [
        // Scheduler (FailedScheduling, PodScheduled=False).
        ("node-selector", ["didn't match Pod's node affinity/selector", "didn't match node selector",
                           "node(s) didn't match Pod's node affinity"]),
        ("taint", ["had untolerated taint", "that the pod didn't tolerate"]),
        ("insufficient-cpu", ["Insufficient cpu"]),
        ("insufficient-memory", ["Insufficient memory"]),
        ("insufficient-resource", ["Insufficient ephemeral-storage", "Insufficient nvidia.com", "Too many pods"]),
        ("pvc-unbound", ["unbound immediate PersistentVolumeClaims", "waiting for first consumer",
                         "did not find available persistent volumes to bind"]),
        ("pvc-missing", ["persistentvolumeclaim \"", "PersistentVolumeClaim is being deleted"]),
        ("storage-class-missing", ["storageclass.storage.k8s.io \""]),
        ("ports", ["didn't have free ports for the requested pod ports"]),
        ("volume-node-affinity", ["volume node affinity conflict"]),
        ("pod-affinity", ["didn't match pod affinity rules", "didn't match pod anti-affinity rules",
                          "didn't satisfy existing pods anti-affinity rules"]),
        ("topology-spread", ["didn't match pod topology spread constraints"]),
        ("node-unschedulable", ["node(s) were unschedulable", "node.kubernetes.io/unschedulable"]),
        // API admission (FailedCreate, ReplicaFailure).
        ("quota", ["exceeded quota:"]),
        ("limit-range", ["maximum cpu usage per Container", "maximum memory usage per Container",
                         "minimum cpu usage per Container", "minimum memory usage per Container"]),
        ("pod-security", ["violates PodSecurity"]),
        ("service-account-missing", ["serviceaccount \"", "error looking up service account"]),
        // Container runtime (StartError, RunContainerError, CreateContainerError).
        ("exec-not-found", ["executable file not found", "no such file or directory: unknown"]),
        ("exec-format", ["exec format error"]),
        ("permission-denied", ["permission denied"]),
        ("config-missing", ["configmap \"", "secret \"", "couldn't find key"]),
        // Kubelet probes (Unhealthy).
        ("probe-http-status", ["HTTP probe failed with statuscode:"]),
        ("probe-refused", ["connect: connection refused"]),
        ("probe-timeout", ["context deadline exceeded", "Client.Timeout exceeded", "timeout: failed to connect"]),
    ]

    public static func tags(in text: String) -> [String] {
        // Byte search: this reads every event and status message of every target diagnosed.
        patterns.filter { $0.phrases.contains { text.containsBytes($0) } }.map(\.tag)
    }

    /// The status code of a failing HTTP probe ("HTTP probe failed with statuscode: 404"), or nil.
    public static func probeStatus(in text: String) -> Int? {
        guard let range = text.range(of: "HTTP probe failed with statuscode: ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
