import MedicKube
/// The apiserver's defaults for fields kubectl shows (`describe`'s StrategyType, a Service's
/// CLUSTER-IP). Only absent fields are filled, and pod templates are left alone so a loaded
/// Deployment still matches its loaded ReplicaSets.
extension ClusterState {
    mutating func applyDefaults(_ type: ResourceType, _ object: inout JSON) {
        switch type {
        case .deployment:
            if object[path: ["spec", "replicas"]] == nil { object[path: ["spec", "replicas"]] = 1 }
            if object[path: ["spec", "strategy"]] == nil {
                object[path: ["spec", "strategy"]] = ["type": "RollingUpdate",
                                                      "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]]
            }
            if object[path: ["spec", "revisionHistoryLimit"]] == nil { object[path: ["spec", "revisionHistoryLimit"]] = 10 }
            if object[path: ["spec", "progressDeadlineSeconds"]] == nil {
                object[path: ["spec", "progressDeadlineSeconds"]] = 600
            }
        case .service:
            if object[path: ["spec", "type"]] == nil { object[path: ["spec", "type"]] = "ClusterIP" }
            if object[path: ["spec", "clusterIP"]] == nil {
                let address = JSON.string(allocateServiceIP())
                object[path: ["spec", "clusterIP"]] = address
                object[path: ["spec", "clusterIPs"]] = [address]
            }
            if object[path: ["spec", "sessionAffinity"]] == nil { object[path: ["spec", "sessionAffinity"]] = "None" }
            if let ports = object[path: ["spec", "ports"]]?.array {
                object[path: ["spec", "ports"]] = .array(ports.map { port in
                    var port = port
                    if port["protocol"] == nil { port["protocol"] = "TCP" }
                    if port["targetPort"] == nil { port["targetPort"] = port["port"] }
                    return port
                })
            }
        default:
            break
        }
    }
}
