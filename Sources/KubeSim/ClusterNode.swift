import Foundation
import MedicKube

/// A node of the simulated cluster, as a scenario declares it (`spec.nodes`) or as KubeSim
/// starts with: what the scheduler reads (allocatable, labels, taints, `unschedulable`) and
/// what `kubectl get/describe node` shows.
public struct ClusterNode: Sendable, Equatable {
    public struct Taint: Sendable, Equatable {
        public var key: String
        public var value: String
        /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
        public var effect: String

        public init(key: String, value: String = "", effect: String) {
            self.key = key
            self.value = value
            self.effect = effect
        }

        var json: JSON {
            var taint: JSON = ["key": .string(key), "effect": .string(effect)]
            if !value.isEmpty { taint["value"] = .string(value) }
            return taint
        }
    }

    /// Quantities as written (`"4"`, `"16Gi"`, `"110"`).
    public struct Resources: Sendable, Equatable {
        public var cpu: String
        public var memory: String
        public var pods: String

        public init(cpu: String, memory: String, pods: String = "110") {
            self.cpu = cpu
            self.memory = memory
            self.pods = pods
        }

        var json: JSON {
            ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(pods), "ephemeral-storage": "100Gi",
             "hugepages-1Gi": "0", "hugepages-2Mi": "0"]
        }
    }

    public var name: String
    public var capacity: Resources
    public var allocatable: Resources
    public var labels: [String: String]
    public var taints: [Taint]
    public var unschedulable: Bool
    /// The node's InternalIP, the pods' `hostIP`.
    public var internalIP: String

    public init(name: String, capacity: Resources, allocatable: Resources? = nil, labels: [String: String] = [:],
                taints: [Taint] = [], unschedulable: Bool = false, internalIP: String) {
        self.name = name
        self.capacity = capacity
        self.allocatable = allocatable ?? capacity
        self.labels = labels
        self.taints = taints
        self.unschedulable = unschedulable
        self.internalIP = internalIP
    }

    /// The node KubeSim starts with when nothing declares any: `kube-sim` at 10.0.0.1, where
    /// every pod ran before nodes were modelled. Sized so that no workload a test or scenario
    /// written before then declares outgrows it: the cluster behaves as it did.
    public static let standard = ClusterNode(
        name: "kube-sim", capacity: Resources(cpu: "128", memory: "512Gi", pods: "1000"),
        labels: ["node-role.kubernetes.io/control-plane": ""], internalIP: "10.0.0.1")

    static let kubeletVersion = "v1.32.0"

    /// The Node object a kubelet registering this node would create, with a Ready status.
    func object(now: Date, podCIDRIndex: Int) -> JSON {
        let timestamp = JSON.string(Timestamp.format(now))
        var labels: [String: JSON] = [
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux",
        ]
        for (key, value) in self.labels { labels[key] = .string(value) }
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSON {
            ["type": .string(type), "status": .string(status), "lastHeartbeatTime": timestamp,
             "lastTransitionTime": timestamp, "reason": .string(reason), "message": .string(message)]
        }
        let cidr = JSON.string("10.244.\(podCIDRIndex).0/24")
        var spec: JSON = ["podCIDR": cidr, "podCIDRs": [cidr]]
        if !taints.isEmpty { spec["taints"] = .array(taints.map(\.json)) }
        if unschedulable { spec["unschedulable"] = true }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": [
                "name": .string(name), "labels": .object(labels),
                "annotations": ["node.alpha.kubernetes.io/ttl": "0",
                                "volumes.kubernetes.io/controller-managed-attach-detach": "true"],
                "creationTimestamp": timestamp,
            ],
            "spec": spec,
            "status": [
                "capacity": capacity.json, "allocatable": allocatable.json,
                "conditions": [
                    condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ],
                "addresses": [["type": "InternalIP", "address": .string(internalIP)],
                              ["type": "Hostname", "address": .string(name)]],
                "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
                "nodeInfo": [
                    "architecture": "amd64", "bootID": .string(ClusterState.newUID()),
                    "containerRuntimeVersion": "containerd://1.7.24", "kernelVersion": "6.8.0-1021-aws",
                    "kubeProxyVersion": .string(Self.kubeletVersion), "kubeletVersion": .string(Self.kubeletVersion),
                    "machineID": .string(String(Timestamp.hexID(of: name).prefix(32))), "operatingSystem": "linux",
                    "osImage": "Ubuntu 24.04.1 LTS", "systemUUID": .string(ClusterState.newUID()),
                ],
            ],
        ]
    }
}
