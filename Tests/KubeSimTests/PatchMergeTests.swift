import MedicKube
import Testing
@testable import KubeSim

/// JSON merge patch (RFC 7386), as `kubectl scale` and `kubectl patch --type=merge` use it.
@Suite struct PatchMergeTests {
    /// `kubectl scale deployment/web --replicas=3` (sent to /scale, applied to the Deployment).
    @Test func scaleSetsReplicas() throws {
        try expectPatch(.merge, #"{"spec":{"replicas":3}}"#, to: PatchFixtures.web, gives: #"""
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
                "replicas":3,
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
            """#)
    }

    /// `null` deletes a key, absent keys are untouched, new keys are added.
    @Test func nullDeletesKeysAndMapsMerge() throws {
        try expectPatch(.merge, #"{"metadata":{"labels":{"app":null,"tier":"web"},"annotations":{"owner":"team-a","missing":null}}}"#, to: PatchFixtures.web, gives: #"""
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
                "labels":{"tier":"web"},
                "annotations":{"deployment.kubernetes.io/revision":"3","owner":"team-a"}
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
            """#)
    }

    /// Unlike strategic merge, a merge patch replaces lists: the sidecar and the env go.
    @Test func listsAreReplacedWhole() throws {
        try expectPatch(.merge, #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}"#, to: PatchFixtures.web, gives: #"""
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
                    "containers":[{"name":"c","image":"nginx:1.27"}],
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
            """#)
    }

    /// A new object's null members are not stored.
    @Test func nullsInNewObjectsAreDropped() throws {
        try expectPatch(.merge, #"{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd","zone":null}}}}}"#, to: PatchFixtures.web, gives: #"""
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
                    "schedulerName":"default-scheduler",
                    "nodeSelector":{"disk":"ssd"}
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
            """#)
    }

    /// Switching to Recreate needs an explicit `rollingUpdate: null` in a merge patch.
    @Test func nullInsideNestedObject() throws {
        try expectPatch(.merge, #"{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}"#, to: PatchFixtures.web, gives: #"""
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
                "strategy":{"type":"Recreate"},
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
            """#)
    }

    @Test func nonObjectMergePatchIsRejected() throws {
        for patch in [#"[{"op":"add"}]"#, "null", #""text""#] {
            let error = try patchError(.merge, patch)
            #expect(error?.reason == .badRequest)
            #expect(error?.message == "Invalid JSON Patch")
        }
    }

    @Test func emptyMergePatchChangesNothing() throws {
        try expectPatch(.merge, "{}", to: PatchFixtures.web, gives: PatchFixtures.web)
    }
}
