import MedicKube
/// The apiserver's defaulting for the kinds KubeSim stores, after `SetDefaults_*` in
/// k8s.io/kubernetes `pkg/apis/core/v1/defaults.go` and `pkg/apis/apps/v1/defaults.go`, plus the
/// few values the registry fills (a Service's cluster IP and IP family). Only absent fields
/// are filled. Pod templates are defaulted too, so a Deployment's pod-template-hash is taken
/// over the defaulted template, as the controller does; loaded ReplicaSets and pods are
/// defaulted the same way, so a loaded Deployment still matches its loaded ReplicaSets.
extension ClusterState {
    mutating func applyDefaults(_ type: ResourceType, _ object: inout JSON) {
        switch type {
        case .customResourceDefinition:
            CustomResourceDefinitions.applyDefaults(&object)
        case .deployment:
            Defaults.fill(&object, ["spec", "replicas"], 1)
            Defaults.fill(&object, ["spec", "strategy", "type"], "RollingUpdate")
            if object[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
                Defaults.fill(&object, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                Defaults.fill(&object, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            Defaults.fill(&object, ["spec", "revisionHistoryLimit"], 10)
            Defaults.fill(&object, ["spec", "progressDeadlineSeconds"], 600)
            Defaults.podTemplate(&object)
        case .replicaSet:
            Defaults.fill(&object, ["spec", "replicas"], 1)
            Defaults.podTemplate(&object)
        case .statefulSet:
            Defaults.fill(&object, ["spec", "replicas"], 1)
            Defaults.fill(&object, ["spec", "podManagementPolicy"], "OrderedReady")
            Defaults.fill(&object, ["spec", "updateStrategy", "type"], "RollingUpdate")
            if object[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
                Defaults.fill(&object, ["spec", "updateStrategy", "rollingUpdate", "partition"], 0)
            }
            Defaults.fill(&object, ["spec", "revisionHistoryLimit"], 10)
            Defaults.fill(&object, ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"], "Retain")
            Defaults.fill(&object, ["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"], "Retain")
            Defaults.podTemplate(&object)
        case .daemonSet:
            Defaults.fill(&object, ["spec", "updateStrategy", "type"], "RollingUpdate")
            if object[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
                Defaults.fill(&object, ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], 1)
                Defaults.fill(&object, ["spec", "updateStrategy", "rollingUpdate", "maxSurge"], 0)
            }
            Defaults.fill(&object, ["spec", "revisionHistoryLimit"], 10)
            Defaults.podTemplate(&object)
        case .pod:
            if var spec = object["spec"], spec.object != nil {
                Defaults.podSpec(&spec)
                Defaults.fill(&spec, ["enableServiceLinks"], true)
                object["spec"] = spec
            }
        case .service:
            Defaults.fill(&object, ["spec", "type"], "ClusterIP")
            if object[path: ["spec", "clusterIP"]] == nil, object[path: ["spec", "type"]] != "ExternalName" {
                let address = JSON.string(allocateServiceIP())
                object[path: ["spec", "clusterIP"]] = address
                object[path: ["spec", "clusterIPs"]] = [address]
            }
            if object[path: ["spec", "type"]] != "ExternalName" {
                Defaults.fill(&object, ["spec", "ipFamilies"], ["IPv4"])
                Defaults.fill(&object, ["spec", "ipFamilyPolicy"], "SingleStack")
                Defaults.fill(&object, ["spec", "internalTrafficPolicy"], "Cluster")
            }
            Defaults.fill(&object, ["spec", "sessionAffinity"], "None")
            Defaults.each(&object, ["spec", "ports"]) { port in
                Defaults.fill(&port, ["protocol"], "TCP")
                if port["targetPort"] == nil { port["targetPort"] = port["port"] }
            }
        case .secret:
            Defaults.fill(&object, ["type"], "Opaque")
        case .persistentVolumeClaim:
            Defaults.fill(&object, ["spec", "volumeMode"], "Filesystem")
        case .storageClass:
            Defaults.fill(&object, ["reclaimPolicy"], "Delete")
            Defaults.fill(&object, ["volumeBindingMode"], "Immediate")
        default:
            break
        }
    }
}

/// The defaulting functions themselves, on untyped JSON.
enum Defaults {
    /// Sets `value` at `path` unless something is there.
    static func fill(_ object: inout JSON, _ path: [String], _ value: JSON) {
        if object[path: path] == nil { object[path: path] = value }
    }

    /// Runs `body` on each element of the list at `path`, if there is one.
    static func each(_ object: inout JSON, _ path: [String], _ body: (inout JSON) -> Void) {
        guard let items = object[path: path]?.array else { return }
        object[path: path] = .array(items.map { item in
            var item = item
            body(&item)
            return item
        })
    }

    static func podTemplate(_ object: inout JSON) {
        guard var spec = object[path: ["spec", "template", "spec"]], spec.object != nil else { return }
        podSpec(&spec)
        object[path: ["spec", "template", "spec"]] = spec
    }

    /// `SetDefaults_PodSpec` and what it reaches: containers, probes, ports, volumes.
    static func podSpec(_ spec: inout JSON) {
        fill(&spec, ["restartPolicy"], "Always")
        fill(&spec, ["terminationGracePeriodSeconds"], 30)
        fill(&spec, ["dnsPolicy"], "ClusterFirst")
        fill(&spec, ["securityContext"], [:])
        fill(&spec, ["schedulerName"], "default-scheduler")
        for list in ["initContainers", "containers"] { each(&spec, [list], container) }
        each(&spec, ["volumes"]) { volume in
            let sources = Set(volume.object?.keys.map { $0 } ?? []).subtracting(["name"])
            if sources.isEmpty { volume["emptyDir"] = [:] }
            for source in ["configMap", "secret", "downwardAPI", "projected"] where volume[source]?.object != nil {
                fill(&volume, [source, "defaultMode"], 420)
            }
        }
    }

    /// `SetDefaults_Container`, `SetDefaults_ContainerPort`, `SetDefaults_Probe`,
    /// `SetDefaults_HTTPGetAction`, `SetDefaults_ObjectFieldSelector`, and requests taken
    /// from limits where a container gives only limits.
    static func container(_ container: inout JSON) {
        if container["imagePullPolicy"] == nil {
            container["imagePullPolicy"] = .string(pullsAlways(container["image"]?.string ?? "") ? "Always" : "IfNotPresent")
        }
        fill(&container, ["terminationMessagePath"], "/dev/termination-log")
        fill(&container, ["terminationMessagePolicy"], "File")
        fill(&container, ["resources"], [:])
        for (resource, limit) in container[path: ["resources", "limits"]]?.object ?? [:] {
            fill(&container, ["resources", "requests", resource], limit)
        }
        each(&container, ["ports"]) { fill(&$0, ["protocol"], "TCP") }
        each(&container, ["env"]) { variable in
            if variable[path: ["valueFrom", "fieldRef"]]?.object != nil {
                fill(&variable, ["valueFrom", "fieldRef", "apiVersion"], "v1")
            }
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] where container[probe]?.object != nil {
            fill(&container, [probe, "timeoutSeconds"], 1)
            fill(&container, [probe, "periodSeconds"], 10)
            fill(&container, [probe, "successThreshold"], 1)
            fill(&container, [probe, "failureThreshold"], 3)
            if container[path: [probe, "httpGet"]]?.object != nil {
                fill(&container, [probe, "httpGet", "path"], "/")
                fill(&container, [probe, "httpGet", "scheme"], "HTTP")
            }
        }
    }

    /// `:latest` or no tag (and no digest) pulls on every start.
    static func pullsAlways(_ image: String) -> Bool {
        if image.contains("@") { return false }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return true }
        return lastComponent[lastComponent.index(after: colon)...] == "latest"
    }
}
