import MedicKube
import Testing
@testable import KubeSim

/// Each default KubeSim fills, held against the value kube-apiserver v1.32 sets (the
/// `SetDefaults_*` functions of `pkg/apis/core/v1` and `pkg/apis/apps/v1`, written here as facts).
struct DefaultingTests {
    /// (path in the created object, the apiserver's default).
    static let deploymentReference: [([String], JSON)] = [
        (["spec", "replicas"], 1),
        (["spec", "strategy", "type"], "RollingUpdate"),
        (["spec", "strategy", "rollingUpdate", "maxSurge"], "25%"),
        (["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%"),
        (["spec", "revisionHistoryLimit"], 10),
        (["spec", "progressDeadlineSeconds"], 600),
    ]

    /// Relative to a pod spec.
    static let podSpecReference: [([String], JSON)] = [
        (["restartPolicy"], "Always"),
        (["terminationGracePeriodSeconds"], 30),
        (["dnsPolicy"], "ClusterFirst"),
        (["securityContext"], [:]),
        (["schedulerName"], "default-scheduler"),
        (["volumes", "0", "emptyDir"], [:]),
        (["volumes", "1", "configMap", "defaultMode"], 420),
    ]

    /// Relative to the first container (image `web:1`) and the second (`cache`, no tag).
    static let containerReference: [([String], JSON)] = [
        (["0", "imagePullPolicy"], "IfNotPresent"),
        (["1", "imagePullPolicy"], "Always"),
        (["0", "terminationMessagePath"], "/dev/termination-log"),
        (["0", "terminationMessagePolicy"], "File"),
        (["0", "ports", "0", "protocol"], "TCP"),
        (["0", "resources", "requests", "memory"], "64Mi"),
        (["0", "livenessProbe", "timeoutSeconds"], 1),
        (["0", "livenessProbe", "periodSeconds"], 10),
        (["0", "livenessProbe", "successThreshold"], 1),
        (["0", "livenessProbe", "failureThreshold"], 3),
        (["0", "livenessProbe", "httpGet", "scheme"], "HTTP"),
        (["0", "readinessProbe", "httpGet", "path"], "/"),
        (["0", "env", "0", "valueFrom", "fieldRef", "apiVersion"], "v1"),
        (["1", "resources"], [:]),
    ]

    static let serviceReference: [([String], JSON)] = [
        (["spec", "type"], "ClusterIP"),
        (["spec", "sessionAffinity"], "None"),
        (["spec", "ipFamilyPolicy"], "SingleStack"),
        (["spec", "ipFamilies"], ["IPv4"]),
        (["spec", "internalTrafficPolicy"], "Cluster"),
        (["spec", "ports", "0", "protocol"], "TCP"),
        (["spec", "ports", "0", "targetPort"], 8080),
    ]

    static let template: JSON = [
        "metadata": ["labels": ["app": "web"]],
        "spec": [
            "volumes": [["name": "scratch"], ["name": "config", "configMap": ["name": "web"]]],
            "containers": [
                [
                    "name": "web", "image": "web:1", "ports": [["containerPort": 8080]],
                    "resources": ["limits": ["memory": "64Mi"]],
                    "env": [["name": "POD", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]]],
                    "livenessProbe": ["httpGet": ["path": "/healthz", "port": 8080]],
                    "readinessProbe": ["httpGet": ["port": 8080], "periodSeconds": 5],
                ],
                ["name": "cache", "image": "registry.local:5000/cache"],
            ],
        ],
    ]

    /// Reads a path whose numeric steps index into lists.
    static func value(_ object: JSON?, _ path: [String]) -> JSON? {
        path.reduce(object) { current, step in
            if let index = Int(step) { return current?.array.flatMap { index < $0.count ? $0[index] : nil } }
            return current?[step]
        }
    }

    func created(_ type: ResourceType, _ body: JSON) throws -> JSON {
        let sim = KubeSim()
        return try sim.state.withLock { state throws(APIError) in
            try state.create(type, namespace: "default", body: body, dryRun: false)
        }
    }

    @Test func deploymentAndItsTemplateGetTheApiserverDefaults() throws {
        let deployment = try created(.deployment, [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "template": Self.template],
        ])
        for (path, expected) in Self.deploymentReference {
            #expect(Self.value(deployment, path) == expected, "\(path.joined(separator: "."))")
        }
        for (path, expected) in Self.podSpecReference {
            #expect(Self.value(deployment, ["spec", "template", "spec"] + path) == expected, "\(path.joined(separator: "."))")
        }
        for (path, expected) in Self.containerReference {
            #expect(Self.value(deployment, ["spec", "template", "spec", "containers"] + path) == expected,
                    "\(path.joined(separator: "."))")
        }
        // An explicit value is kept.
        #expect(Self.value(deployment, ["spec", "template", "spec", "containers", "0", "readinessProbe", "periodSeconds"]) == 5)
    }

    @Test func podGetsPodSpecDefaultsAndServiceLinks() throws {
        let pod = try created(.pod, ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                                     "spec": Self.template["spec"]!])
        for (path, expected) in Self.podSpecReference {
            #expect(Self.value(pod, ["spec"] + path) == expected, "\(path.joined(separator: "."))")
        }
        #expect(pod[path: ["spec", "enableServiceLinks"]] == true)
    }

    @Test func serviceGetsTypeAffinityFamiliesAndTargetPort() throws {
        let service = try created(.service, ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                             "spec": ["selector": ["app": "web"], "ports": [["port": 8080]]]])
        for (path, expected) in Self.serviceReference {
            #expect(Self.value(service, path) == expected, "\(path.joined(separator: "."))")
        }
    }

    @Test(arguments: [("web", true), ("web:latest", true), ("web:1.2", false), ("registry:5000/web", true),
                      ("registry:5000/web:2", false), ("web@sha256:abcd", false)])
    func imagePullPolicyFollowsTheTag(image: String, always: Bool) {
        #expect(Defaults.pullsAlways(image) == always)
    }
}
