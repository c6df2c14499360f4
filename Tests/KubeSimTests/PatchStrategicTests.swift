import MedicKube
import Foundation
import Testing
@testable import KubeSim

// Every body here is what kubectl 1.32 sent in the reference recordings (or what its
// two-way diff computes), applied to objects shaped like the API server stores them; the
// expected objects are what a real API server stores before it bumps resourceVersion.

// MARK: - Helpers shared by the Patch*Tests files

func parsed(_ text: String) throws -> JSON { try JSON(parsing: Data(text.utf8)) }

/// Applies `patch` to `object` and compares with `expected` as sorted compact JSON, so a
/// failure shows both documents.
func expectPatch(
    _ type: PatchType, _ patch: String, to object: String, gives expected: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let result = try Patcher.apply(parsed(patch), type: type, to: parsed(object))
    let want = try parsed(expected)
    #expect(
        result.text == want.text,
        sourceLocation: sourceLocation
    )
}

/// Applies `patch` to `object` and compares the whole result with `object` as `change` edits
/// it, so a test states only what the patch changes while every other field is still checked.
func expectPatch(
    _ type: PatchType, _ patch: String, to object: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    changing change: (inout JSON) -> Void
) throws {
    try expectPatch(type, patch, to: object, gives: edited(object, change), sourceLocation: sourceLocation)
}

/// `object` after `change`, for a seed that differs from a fixture in a field or two.
func edited(_ object: String, _ change: (inout JSON) -> Void) throws -> String {
    var json = try parsed(object)
    change(&json)
    return json.text
}

extension JSON {
    /// Edits the containers of a Deployment's pod template, which most patches here touch.
    mutating func editContainers(_ edit: (inout [JSON]) -> Void) {
        let path = ["spec", "template", "spec", "containers"]
        var containers = self[path: path]?.array ?? []
        edit(&containers)
        self[path: path] = .array(containers)
    }
}

/// The error applying `patch` to `object` throws; records an issue when it does not throw.
func patchError(_ type: PatchType, _ patch: String, to object: String = PatchFixtures.web,
                sourceLocation: SourceLocation = #_sourceLocation) throws -> PatchError? {
    let patchJSON = try parsed(patch)
    let objectJSON = try parsed(object)
    return #expect(throws: PatchError.self, sourceLocation: sourceLocation) {
        try Patcher.apply(patchJSON, type: type, to: objectJSON)
    }
}

@Suite struct PatchStrategicTests {
    // MARK: - Content types

    @Test func patchTypeFromContentType() {
        #expect(PatchType(contentType: "application/strategic-merge-patch+json") == .strategicMerge)
        #expect(PatchType(contentType: "application/merge-patch+json; charset=utf-8") == .merge)
        #expect(PatchType(contentType: "Application/JSON-Patch+JSON") == .json)
        #expect(PatchType(contentType: "application/apply-patch+yaml") == nil)
        #expect(PatchType(contentType: "application/json") == nil)
    }

    // MARK: - Errors, as the API server words them

    @Test func listElementWithoutMergeKeyIsRejected() throws {
        let error = try patchError(.strategicMerge, #"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#)
        #expect(error?.reason == .badRequest)
        #expect(error?.message == "map: map[image:x] does not contain declared merge key: name")
    }

    @Test func mergeDirectiveInListIsRejected() throws {
        let error = try patchError(.strategicMerge, #"{"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}}"#)
        #expect(error?.message == "merging lists cannot yet be specified in the patch")
    }

    @Test func unknownPatchDirectiveIsRejected() throws {
        let error = try patchError(.strategicMerge, #"{"metadata":{"labels":{"$patch":"drop"}}}"#)
        #expect(error?.message == "unknown patch type: drop in map: map[$patch:drop]")
    }

    @Test func retainKeysMustListEveryPatchedKey() throws {
        let error = try patchError(
            .strategicMerge, #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":{"maxSurge":1}}}}"#
        )
        #expect(error?.reason == .badRequest)
        #expect(error?.code == 400)
        #expect(error?.message == "invalid patch format of retainKeys")
    }

    @Test func setElementOrderMustCoverThePatchList() throws {
        let error = try patchError(
            .strategicMerge,
            #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"}],"containers":[{"name":"c","image":"x"}]}}}}"#
        )
        #expect(error?.message == "The order in patch list:\n[map[image:x name:c]]\n doesn't match $setElementOrder list:\n[map[name:sidecar]]\n")
    }

    @Test func nonObjectStrategicPatchIsRejected() throws {
        let error = try patchError(.strategicMerge, #"[{"op":"add"}]"#)
        #expect(error?.message == "json: cannot unmarshal array into Go value of type map[string]interface {}")
    }

    @Test func emptyAndNullPatchesChangeNothing() throws {
        try expectPatch(.strategicMerge, "{}", to: PatchFixtures.web, gives: PatchFixtures.web)
        try expectPatch(.strategicMerge, "null", to: PatchFixtures.web, gives: PatchFixtures.web)
    }

    @Test func unsettingAnAbsentVariableChangesNothing() throws {
        try expectPatch(
            .strategicMerge,
            #"{"spec":{"template":{"spec":{"containers":[{"env":[{"$patch":"delete","name":"NOPE"}],"name":"c"}]}}}}"#,
            to: PatchFixtures.web, gives: PatchFixtures.web
        )
    }

    // MARK: - kubectl bodies and strategic merge semantics

    /// `kubectl patch --type=strategic` sends `-p` verbatim; only container `c` changes.
    @Test func kubectlPatchSetsImage() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.26"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in containers[0]["image"] = "nginx:1.26" }
        }
    }

    /// `kubectl set env deployment/web NEWKEY=V1`: appended after FOO and KEEP, and a new `env` for the sidecar.
    @Test func setEnvAddsVariableToEveryContainer() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"FOO"},{"name":"KEEP"},{"name":"NEWKEY"}],"env":[{"name":"NEWKEY","value":"V1"}],"name":"c"},{"env":[{"name":"NEWKEY","value":"V1"}],"name":"sidecar"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in
                containers[0]["env"] = [
                    ["name": "FOO", "value": "bar"], ["name": "KEEP", "value": "yes"], ["name": "NEWKEY", "value": "V1"],
                ]
                containers[1]["env"] = [["name": "NEWKEY", "value": "V1"]]
            }
        }
    }

    /// `kubectl set env deployment/web FOO=baz`: FOO keeps its place in `c`.
    @Test func setEnvUpdatesExistingVariable() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"FOO"},{"name":"KEEP"}],"env":[{"name":"FOO","value":"baz"}],"name":"c"},{"env":[{"name":"FOO","value":"baz"}],"name":"sidecar"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in
                containers[0]["env"] = [["name": "FOO", "value": "baz"], ["name": "KEEP", "value": "yes"]]
                containers[1]["env"] = [["name": "FOO", "value": "baz"]]
            }
        }
    }

    /// `kubectl set env deployment/web FOO-`: `$patch: delete` removes FOO; the sidecar is untouched.
    @Test func setEnvUnsetDeletesVariable() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"KEEP"}],"env":[{"$patch":"delete","name":"FOO"}],"name":"c"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in containers[0]["env"] = [["name": "KEEP", "value": "yes"]] }
        }
    }

    /// `kubectl set env deployment/one ONLY-`: `"env": null` removes the key.
    @Test func setEnvUnsetLastVariableRemovesEnv() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"env":null,"name":"app"}]}}}}"#, to: PatchFixtures.one) { expected in
            expected.editContainers { containers in containers[0]["env"] = nil }
        }
    }

    /// `kubectl set image deployment/web c=img:tag`.
    @Test func setImageChangesOneContainer() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"image":"img:tag","name":"c"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in containers[0]["image"] = "img:tag" }
        }
    }

    /// `kubectl set resources deployment/web -c c --limits=memory=128Mi`.
    @Test func setResourcesFillsEmptyResources() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"name":"c","resources":{"limits":{"memory":"128Mi"}}}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in containers[0]["resources"] = ["limits": ["memory": "128Mi"]] }
        }
    }

    /// `kubectl set resources deployment/one -c app --limits=memory=128Mi --requests=cpu=100m`: limits.cpu stays.
    @Test func setResourcesKeepsOtherLimits() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"name":"app","resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"100m"}}}]}}}}"#, to: PatchFixtures.one) { expected in
            expected.editContainers { containers in
                containers[0]["resources"] = ["limits": ["cpu": "500m", "memory": "128Mi"], "requests": ["cpu": "100m"]]
            }
        }
    }

    /// `kubectl rollout restart deployment/web` (client in Europe/Berlin).
    @Test func rolloutRestartAnnotatesTemplate() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T02:31:42+01:00"}}}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "template", "metadata", "annotations"]] = ["kubectl.kubernetes.io/restartedAt": "2026-11-22T02:31:42+01:00"]
        }
    }

    /// Client-side `kubectl apply` switching to Recreate and the volume to a ConfigMap: `$retainKeys` drops `rollingUpdate` and `emptyDir`.
    @Test func clientSideApplyRetainKeysClearsOldUnionMembers() throws {
        try expectPatch(.strategicMerge, #"{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":{"$setElementOrder/volumes":[{"name":"data"}],"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cfg"},"name":"data"}]}}}}"#, to: PatchFixtures.one) { expected in
            expected[path: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]] = "{}\n"
            expected[path: ["spec", "strategy"]] = ["type": "Recreate"]
            expected[path: ["spec", "template", "spec", "volumes"]] = [["name": "data", "configMap": ["name": "cfg"]]]
        }
    }

    /// `kubectl set env -c c FOO=plain` over a `valueFrom` variable sends `"valueFrom": null`.
    @Test func setEnvReplacesValueFromWithNull() throws {
        let seed = try edited(PatchFixtures.web) { seed in
            seed.editContainers { containers in
                containers[0]["env"] = [
                    ["name": "FOO", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "foo"]]],
                    ["name": "KEEP", "value": "yes"],
                ]
            }
        }
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"FOO"},{"name":"KEEP"}],"env":[{"name":"FOO","value":"plain","valueFrom":null}],"name":"c"}]}}}}"#, to: seed) { expected in
            expected.editContainers { containers in
                containers[0]["env"] = [["name": "FOO", "value": "plain"], ["name": "KEEP", "value": "yes"]]
            }
        }
    }

    /// A probe is a plain struct: changing `httpGet.port` keeps path, scheme and thresholds.
    @Test func probePortChangeKeepsRestOfProbe() throws {
        let seed = try edited(PatchFixtures.web) { seed in
            seed.editContainers { containers in
                containers[0]["livenessProbe"] = [
                    "httpGet": ["path": "/healthz", "port": 80, "scheme": "HTTP"],
                    "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3,
                ]
            }
        }
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"containers":[{"name":"c","livenessProbe":{"httpGet":{"port":8080}}}]}}}}"#, to: seed) { expected in
            expected.editContainers { containers in containers[0][path: ["livenessProbe", "httpGet", "port"]] = 8080 }
        }
    }

    /// `null` deletes one selector label while another is added.
    @Test func selectorChangeWithNullDeletesLabel() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"selector":{"matchLabels":{"app":null,"tier":"frontend"}},"template":{"metadata":{"labels":{"tier":"frontend"}}}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "selector", "matchLabels"]] = ["tier": "frontend"]
            expected[path: ["spec", "template", "metadata", "labels", "tier"]] = "frontend"
        }
    }

    /// Like the API server, a container new to the list goes before the live ones when no `$setElementOrder` says otherwise.
    @Test func newContainerWithoutOrderGoesFirst() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"containers":[{"name":"debug","image":"busybox:1.36","command":["sleep","3600"]}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in
                containers.insert(["name": "debug", "image": "busybox:1.36", "command": ["sleep", "3600"]], at: 0)
            }
        }
    }

    /// With `$setElementOrder/containers` (what kubectl computes) the new container is appended.
    @Test func newContainerAppendedWhenOrderSaysSo() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"sidecar"},{"name":"debug"}],"containers":[{"name":"debug","image":"busybox:1.36","command":["sleep","3600"]}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in
                containers.append(["name": "debug", "image": "busybox:1.36", "command": ["sleep", "3600"]])
            }
        }
    }

    /// `$setElementOrder` alone reorders; merged elements keep their changes.
    @Test func setElementOrderReordersContainers() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"c"}],"containers":[{"name":"c","image":"nginx:1.26"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in
                containers.swapAt(0, 1)
                containers[1]["image"] = "nginx:1.26"
            }
        }
    }

    /// A `{"$patch": "replace"}` element replaces the whole list with the other elements.
    @Test func patchReplaceDirectiveReplacesList() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"nginx:1.27"},{"$patch":"replace"}]}}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "template", "spec", "containers"]] = [["name": "only", "image": "nginx:1.27"]]
        }
    }

    /// `"$patch": "replace"` inside a map replaces the map instead of merging it.
    @Test func patchReplaceDirectiveReplacesMap() throws {
        try expectPatch(.strategicMerge, #"{"metadata":{"labels":{"$patch":"replace","team":"edge"}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["metadata", "labels"]] = ["team": "edge"]
        }
    }

    /// `"$patch": "delete"` inside a map removes it.
    @Test func patchDeleteDirectiveRemovesMap() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"strategy":{"rollingUpdate":{"$patch":"delete"},"type":"Recreate"}}}"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "strategy"]] = ["type": "Recreate"]
        }
    }

    /// Container ports merge on `containerPort`: 80 gains a name, 9090 is new and goes first.
    @Test func containerPortsMergeOnContainerPort() throws {
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"containers":[{"name":"c","ports":[{"containerPort":9090,"name":"metrics"},{"containerPort":80,"name":"http"}]}]}}}}"#, to: PatchFixtures.web) { expected in
            expected.editContainers { containers in
                containers[0]["ports"] = [
                    ["containerPort": 9090, "name": "metrics"], ["containerPort": 80, "protocol": "TCP", "name": "http"],
                ]
            }
        }
    }

    /// Finalizers are a set (`$deleteFromPrimitiveList` removes, `$setElementOrder` orders); owner references merge on `uid`.
    @Test func finalizersAndOwnerReferencesMerge() throws {
        let seed = try edited(PatchFixtures.one) { seed in
            seed[path: ["metadata", "finalizers"]] = ["example.com/a", "example.com/b"]
            seed[path: ["metadata", "ownerReferences"]] = [
                ["apiVersion": "example.com/v1", "kind": "App", "name": "one", "uid": "11111111-1111-4111-8111-111111111111", "controller": true],
            ]
        }
        try expectPatch(.strategicMerge, #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"],"$setElementOrder/finalizers":["example.com/b","example.com/c"],"finalizers":["example.com/c"],"$setElementOrder/ownerReferences":[{"uid":"11111111-1111-4111-8111-111111111111"},{"uid":"22222222-2222-4222-8222-222222222222"}],"ownerReferences":[{"blockOwnerDeletion":true,"uid":"11111111-1111-4111-8111-111111111111"},{"apiVersion":"example.com/v1","kind":"Team","name":"edge","uid":"22222222-2222-4222-8222-222222222222"}]}}"#, to: seed) { expected in
            expected[path: ["metadata", "finalizers"]] = ["example.com/b", "example.com/c"]
            expected[path: ["metadata", "ownerReferences"]] = [
                [
                    "apiVersion": "example.com/v1", "kind": "App", "name": "one",
                    "uid": "11111111-1111-4111-8111-111111111111", "controller": true, "blockOwnerDeletion": true,
                ],
                ["apiVersion": "example.com/v1", "kind": "Team", "name": "edge", "uid": "22222222-2222-4222-8222-222222222222"],
            ]
        }
    }

    /// Tolerations are atomic; volume mounts merge on `mountPath`, so the same volume mounts twice.
    @Test func tolerationsReplacedVolumeMountsMergeOnMountPath() throws {
        let seed = try edited(PatchFixtures.one) { seed in
            seed[path: ["spec", "template", "spec", "tolerations"]] = [
                ["key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"], ["key": "spot", "operator": "Exists"],
            ]
        }
        try expectPatch(.strategicMerge, #"{"spec":{"template":{"spec":{"tolerations":[{"key":"gpu","operator":"Exists","effect":"NoSchedule"}],"containers":[{"name":"app","volumeMounts":[{"name":"data","mountPath":"/cache","subPath":"cache"},{"mountPath":"/data","readOnly":true}]}]}}}}"#, to: seed) { expected in
            expected[path: ["spec", "template", "spec", "tolerations"]] = [["key": "gpu", "operator": "Exists", "effect": "NoSchedule"]]
            expected.editContainers { containers in
                containers[0]["volumeMounts"] = [
                    ["name": "data", "mountPath": "/cache", "subPath": "cache"],
                    ["name": "data", "mountPath": "/data", "readOnly": true],
                ]
            }
        }
    }

    /// Service ports merge on `port`, not `containerPort`.
    @Test func servicePortsMergeOnPort() throws {
        let seed = #"""
        {
          "apiVersion":"v1",
          "kind":"Service",
          "metadata":{"name":"web","namespace":"demo","uid":"7c9e6679-7425-40de-944b-e07fc1f90ae7","resourceVersion":"1010"},
          "spec":{
        "selector":{"app":"web"},
        "type":"ClusterIP",
        "clusterIP":"10.96.0.20",
        "clusterIPs":["10.96.0.20"],
        "ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080}]
          },
          "status":{"loadBalancer":{}}
        }
        """#
        try expectPatch(.strategicMerge, #"{"spec":{"ports":[{"port":80,"targetPort":9090}]}}"#, to: seed, gives: #"""
            {
              "apiVersion":"v1",
              "kind":"Service",
              "metadata":{"name":"web","namespace":"demo","uid":"7c9e6679-7425-40de-944b-e07fc1f90ae7","resourceVersion":"1010"},
              "spec":{
                "selector":{"app":"web"},
                "type":"ClusterIP",
                "clusterIP":"10.96.0.20",
                "clusterIPs":["10.96.0.20"],
                "ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":9090}]
              },
              "status":{"loadBalancer":{}}
            }
            """#)
    }

    /// For a Pod the containers live under `spec`, and status conditions merge on `type`.
    @Test func podPathsUseSpecDirectly() throws {
        let seed = #"""
        {
          "apiVersion":"v1",
          "kind":"Pod",
          "metadata":{"name":"web-1","namespace":"demo","uid":"9b2f5a1e-3c4d-4e5f-8a6b-7c8d9e0f1a2b","labels":{"app":"web"}},
          "spec":{"containers":[{"name":"c","image":"nginx:1.25","env":[{"name":"A","value":"1"}]}],"nodeName":"node-1"},
          "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"ContainersReady","status":"True"}]}
        }
        """#
        try expectPatch(.strategicMerge, #"{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"2"}]}]},"status":{"conditions":[{"type":"Ready","status":"False"}]}}"#, to: seed, gives: #"""
            {
              "apiVersion":"v1",
              "kind":"Pod",
              "metadata":{"name":"web-1","namespace":"demo","uid":"9b2f5a1e-3c4d-4e5f-8a6b-7c8d9e0f1a2b","labels":{"app":"web"}},
              "spec":{"containers":[{"name":"c","image":"nginx:1.25","env":[{"name":"A","value":"2"}]}],"nodeName":"node-1"},
              "status":{
                "phase":"Running",
                "conditions":[{"type":"Ready","status":"False"},{"type":"ContainersReady","status":"True"}]
              }
            }
            """#)
    }
}

// MARK: - Fixtures

enum PatchFixtures {
    /// Deployment `web` from the reference recordings: containers `c` (env FOO, KEEP; port 80)
    /// and `sidecar`, with the defaults the API server fills in.
    static let web = #"""
    {
      "apiVersion":"apps/v1",
      "kind":"Deployment",
      "metadata":{
        "name":"web",
        "namespace":"demo",
        "uid":"0e6a7c52-5d8a-4d7e-9a51-3f1c2b7d9e01",
        "resourceVersion":"1005",
        "generation":3,
        "creationTimestamp":"2024-01-01T00:00:00Z",
        "labels":{"app":"web"},
        "annotations":{"deployment.kubernetes.io/revision":"3"}
      },
      "spec":{
        "replicas":2,
        "selector":{"matchLabels":{"app":"web"}},
        "template":{
          "metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
          "spec":{
            "containers":[
              {
                "name":"c",
                "image":"nginx:1.25",
                "ports":[{"containerPort":80,"protocol":"TCP"}],
                "env":[{"name":"FOO","value":"bar"},{"name":"KEEP","value":"yes"}],
                "resources":{},
                "terminationMessagePath":"/dev/termination-log",
                "terminationMessagePolicy":"File",
                "imagePullPolicy":"IfNotPresent"
              },
              {
                "name":"sidecar",
                "image":"busybox:1.36",
                "resources":{},
                "terminationMessagePath":"/dev/termination-log",
                "terminationMessagePolicy":"File",
                "imagePullPolicy":"IfNotPresent"
              }
            ],
            "restartPolicy":"Always",
            "terminationGracePeriodSeconds":30,
            "dnsPolicy":"ClusterFirst",
            "securityContext":{},
            "schedulerName":"default-scheduler"
          }
        },
        "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
        "revisionHistoryLimit":10,
        "progressDeadlineSeconds":600
      },
      "status":{
        "observedGeneration":3,
        "replicas":2,
        "readyReplicas":2,
        "conditions":[
          {"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},
          {"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}
        ]
      }
    }
    """#

    /// Deployment `one`: a single container `app` with env ONLY, limits.cpu and volume `data`.
    static let one = #"""
    {
      "apiVersion":"apps/v1",
      "kind":"Deployment",
      "metadata":{
        "name":"one",
        "namespace":"demo",
        "uid":"5f0d2b9a-8c41-4e7b-b6a3-9d2e1c7f4a02",
        "resourceVersion":"1005",
        "generation":3,
        "creationTimestamp":"2024-01-01T00:00:00Z",
        "labels":{"app":"one"},
        "annotations":{"deployment.kubernetes.io/revision":"3"}
      },
      "spec":{
        "replicas":2,
        "selector":{"matchLabels":{"app":"one"}},
        "template":{
          "metadata":{"creationTimestamp":null,"labels":{"app":"one"}},
          "spec":{
            "containers":[
              {
                "name":"app",
                "image":"registry.example.com/app:2.1",
                "env":[{"name":"ONLY","value":"x"}],
                "volumeMounts":[{"name":"data","mountPath":"/data"}],
                "resources":{"limits":{"cpu":"500m"}},
                "terminationMessagePath":"/dev/termination-log",
                "terminationMessagePolicy":"File",
                "imagePullPolicy":"IfNotPresent"
              }
            ],
            "restartPolicy":"Always",
            "terminationGracePeriodSeconds":30,
            "dnsPolicy":"ClusterFirst",
            "securityContext":{},
            "schedulerName":"default-scheduler",
            "volumes":[{"name":"data","emptyDir":{}}]
          }
        },
        "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
        "revisionHistoryLimit":10,
        "progressDeadlineSeconds":600
      },
      "status":{
        "observedGeneration":3,
        "replicas":2,
        "readyReplicas":2,
        "conditions":[
          {"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},
          {"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}
        ]
      }
    }
    """#
}
