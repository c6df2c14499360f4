import MedicKube
import Testing
@testable import KubeSim

/// JSON patch (RFC 6902), as `kubectl rollout undo` and `kubectl patch --type=json` use it.
@Suite struct PatchJSONTests {
    /// `kubectl rollout undo deployment/web`: the exact JSON patch from the recordings.
    @Test func rolloutUndoReplacesTemplateAndAnnotations() throws {
        try expectPatch(.json, #"[{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.24","ports":[{"containerPort":80,"protocol":"TCP"}],"env":[{"name":"FOO","value":"bar"},{"name":"KEEP","value":"yes"}],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"},{"name":"sidecar","image":"busybox:1.36","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}},{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"2"}}]"#, to: PatchFixtures.web) { expected in
            expected[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] = "2"
            expected.editContainers { containers in containers[0]["image"] = "nginx:1.24" }
        }
    }

    /// `~1` is `/` and `~0` is `~` in a pointer token.
    @Test func addReplaceRemoveWithEscapedPointers() throws {
        try expectPatch(.json, #"[{"op":"add","path":"/metadata/annotations/example.com~1owner","value":"team-a"},{"op":"add","path":"/metadata/annotations/a~0b","value":"tilde"},{"op":"replace","path":"/spec/replicas","value":5},{"op":"remove","path":"/metadata/labels/app"}]"#, to: PatchFixtures.web) { expected in
            expected[path: ["metadata", "labels", "app"]] = nil
            expected[path: ["metadata", "annotations", "example.com/owner"]] = "team-a"
            expected[path: ["metadata", "annotations", "a~b"]] = "tilde"
            expected[path: ["spec", "replicas"]] = 5
        }
    }

    /// `copy`, `move` between indices, `-` appends and an index inserts.
    @Test func copyMoveAndArrayIndices() throws {
        try expectPatch(.json, #"[{"op":"copy","from":"/spec/template/spec/containers/0/image","path":"/metadata/annotations/previous-image"},{"op":"move","from":"/spec/template/spec/containers/1","path":"/spec/template/spec/containers/0"},{"op":"add","path":"/spec/template/spec/containers/1/env/-","value":{"name":"NEW","value":"1"}},{"op":"add","path":"/spec/template/spec/containers/1/env/0","value":{"name":"FIRST","value":"0"}}]"#, to: PatchFixtures.web) { expected in
            expected[path: ["metadata", "annotations", "previous-image"]] = "nginx:1.25"
            expected.editContainers { containers in
                containers.swapAt(0, 1)
                containers[1]["env"] = [
                    ["name": "FIRST", "value": "0"], ["name": "FOO", "value": "bar"],
                    ["name": "KEEP", "value": "yes"], ["name": "NEW", "value": "1"],
                ]
            }
        }
    }

    /// A passing `test` lets the rest of the patch apply (optimistic concurrency by value).
    @Test func passingTestGuardsReplace() throws {
        try expectPatch(.json, #"[{"op":"test","path":"/spec/replicas","value":2},{"op":"test","path":"/metadata/labels/absent","value":null},{"op":"replace","path":"/spec/replicas","value":4}]"#, to: PatchFixtures.web) { expected in
            expected[path: ["spec", "replicas"]] = 4
        }
    }

    /// The API server hides the library's reason behind one generic 422 message.
    @Test(arguments: [
        (#"[{"op":"test","path":"/spec/replicas","value":3},{"op":"replace","path":"/spec/replicas","value":4}]"#,
         "testing value /spec/replicas failed: test failed"),
        (#"[{"op":"test","path":"/spec/replicas","value":"2"}]"#, "testing value /spec/replicas failed: test failed"),
        (#"[{"op":"replace","path":"/spec/nope/x","value":1}]"#,
         "replace operation does not apply: doc is missing path: /spec/nope/x"),
        (#"[{"op":"replace","path":"/metadata/labels/nope","value":"x"}]"#,
         "replace operation does not apply: doc is missing key: /metadata/labels/nope"),
        (#"[{"op":"remove","path":"/metadata/labels/nope"}]"#,
         "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value"),
        (#"[{"op":"add","path":"/spec/template/spec/containers/5","value":{}}]"#,
         "error in add for path: '/spec/template/spec/containers/5': Unable to access invalid index: 5: invalid index referenced"),
        (#"[{"op":"add","path":"/spec/replicas/x","value":1}]"#,
         "add operation does not apply: doc is missing path: /spec/replicas/x"),
        (#"[{"op":"move","from":"/spec/nope","path":"/spec/x"}]"#,
         "error in move for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"),
        (#"[{"op":"copy","from":"/nope/x","path":"/spec/x"}]"#,
         "copy operation does not apply: doc is missing from path: /nope/x"),
        (#"[{"op":"add","value":1}]"#, "add operation failed to decode path: missing value"),
        (#"[{"op":"merge","path":"/spec"}]"#, "Unexpected kind: merge"),
    ])
    func failingOperationIsInvalid(patch: String, detail: String) throws {
        let error = try patchError(.json, patch)
        #expect(error?.reason == .invalid)
        #expect(error?.code == 422)
        #expect(error?.message == "the server rejected our request due to an error in our request")
        #expect(error?.detail == detail)
    }

    static let service = #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"demo","resourceVersion":"1010"},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"admin","port":9000,"protocol":"TCP","targetPort":"admin"}]}}"#

    /// `patch-service-port`: the `test` of the old targetPort passes, then the replace applies;
    /// a number and a port name are different values.
    @Test func servicePortTestThenReplace() throws {
        try expectPatch(.json, #"[{"op":"test","path":"/spec/ports/0/targetPort","value":8080},{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]"#, to: Self.service) { expected in
            expected[path: ["spec", "ports"]] = [
                ["name": "http", "port": 80, "protocol": "TCP", "targetPort": 9090],
                ["name": "admin", "port": 9000, "protocol": "TCP", "targetPort": "admin"],
            ]
        }
        try expectPatch(.json, #"[{"op":"test","path":"/spec/ports/1/targetPort","value":"admin"},{"op":"replace","path":"/spec/ports/1/targetPort","value":"metrics"}]"#, to: Self.service) { expected in
            expected[path: ["spec", "ports"]] = [
                ["name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080],
                ["name": "admin", "port": 9000, "protocol": "TCP", "targetPort": "metrics"],
            ]
        }
    }

    /// A Service whose targetPort changed since it was read: the `test` fails, nothing applies.
    @Test(arguments: [
        #"[{"op":"test","path":"/spec/ports/0/targetPort","value":7070},{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]"#,
        #"[{"op":"test","path":"/spec/ports/0/targetPort","value":"8080"},{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]"#,
        #"[{"op":"test","path":"/spec/ports/1/targetPort","value":9000},{"op":"replace","path":"/spec/ports/1/targetPort","value":9001}]"#,
    ])
    func servicePortTestFailure(patch: String) throws {
        let error = try patchError(.json, patch, to: Self.service)
        #expect(error?.code == 422)
        #expect(error?.message == "the server rejected our request due to an error in our request")
        #expect(error?.detail?.hasPrefix("testing value /spec/ports/") == true)
        #expect(error?.detail?.hasSuffix("/targetPort failed: test failed") == true)
    }

    /// What the API server sends for it: `NewGenericServerResponse(422, …)`, whose `details` is
    /// an empty object, not left out; the Service is unchanged.
    @Test func failedTestIsTheGeneric422Status() throws {
        let sim = KubeSim()
        try sim.load(manifests: """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: demo}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            """)
        let before = try #require(sim.get(.service, namespace: "demo", name: "web"))
        let patch = try JSON(parsing: #"[{"op":"test","path":"/spec/ports/0/targetPort","value":7070},{"op":"replace","path":"/spec/ports/0/targetPort","value":9090}]"#)
        let result = sim.state.withLock { state in
            Result { () throws(APIError) in
                try state.patch(.service, namespace: "demo", name: "web", patch: patch, patchType: .json, subresource: nil, dryRun: false)
            }
        }
        guard case .failure(let error) = result else {
            Issue.record("the failed test op was applied")
            return
        }
        #expect(error.status.text == #"{"apiVersion":"v1","code":422,"details":{},"kind":"Status","message":"the server rejected our request due to an error in our request","metadata":{},"reason":"Invalid","status":"Failure"}"#)
        #expect(sim.get(.service, namespace: "demo", name: "web") == before)
    }

    @Test func patchThatIsNotAListIsBadRequest() throws {
        let notAList = try patchError(.json, #"{"op":"add","path":"/x","value":1}"#)
        #expect(notAList?.reason == .badRequest)
        #expect(notAList?.message == "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        let notOperations = try patchError(.json, #"["add"]"#)
        #expect(notOperations?.message == "json: cannot unmarshal string into Go value of type jsonpatch.Operation")
    }

    @Test func emptyJSONPatchChangesNothing() throws {
        try expectPatch(.json, "[]", to: PatchFixtures.web, gives: PatchFixtures.web)
    }
}
