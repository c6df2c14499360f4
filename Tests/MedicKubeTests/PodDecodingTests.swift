import Foundation
import MedicKube
import Testing

@Suite struct PodDecodingTests {
    let pod: Pod

    init() throws {
        pod = try Fixture.decode(Pod.self, "pod-oomkilled.json")
    }

    @Test func metadataAndOwner() {
        #expect(pod.kind == "Pod")
        #expect(pod.metadata.name == "auth-service-7d9f8b6c5-abcde")
        #expect(pod.metadata.namespace == "production")
        #expect(pod.metadata.labels == ["app": "auth-service", "pod-template-hash": "7d9f8b6c5"])
        #expect(pod.metadata.annotations.isEmpty)
        #expect(pod.metadata.creationTimestamp == Fixture.date("2024-05-01T09:58:51Z"))
        #expect(pod.metadata.controllerOwner?.kind == "ReplicaSet")
        #expect(pod.metadata.controllerOwner?.name == "auth-service-7d9f8b6c5")
    }

    @Test func containerSpec() throws {
        let auth = try #require(pod.spec.container(named: "auth"))
        #expect(auth.image == "registry.example.com/core/auth:1.4.2")
        #expect(auth.resources.limits == ["cpu": "500m", "memory": "128Mi"])
        #expect(auth.resources.requests["memory"] == "64Mi")
        #expect(auth.port(named: "http")?.containerPort == 8080)
        #expect(auth.port(named: "grpc")?.protocol == "TCP")
        #expect(auth.port(named: "metrics") == nil)
        #expect(auth.env.map(\.name) == ["DB_POOL_SIZE", "DB_PASSWORD", "FEATURE_FLAGS", "POD_NAME"])
        #expect(auth.env[0].value == "20")
        #expect(auth.env[1].valueFrom?.secretKeyRef == KeyReference(name: "auth-db", key: "password"))
        #expect(auth.env[2].valueFrom?.configMapKeyRef?.optional == true)
        #expect(auth.env[3].valueFrom?.fieldRef?.fieldPath == "metadata.name")
        #expect(pod.spec.restartPolicy == "Always")
        #expect(pod.spec.nodeName == "node-1")
    }

    @Test func probes() throws {
        let auth = try #require(pod.spec.container(named: "auth"))
        let liveness = try #require(auth.livenessProbe)
        #expect(liveness.httpGet == HTTPGetAction(path: "/healthz", port: .int(8080), scheme: "HTTP"))
        #expect(liveness.initialDelaySeconds == 10)
        #expect(liveness.failureThreshold == 3)
        #expect(auth.readinessProbe?.port == .string("http"))
        #expect(auth.startupProbe?.grpc?.port == 9090)
        #expect(auth.startupProbe?.port == .int(9090))
        let envoy = try #require(pod.spec.container(named: "envoy"))
        #expect(envoy.livenessProbe?.tcpSocket?.port == .int(15001))
        #expect(envoy.readinessProbe?.exec?.command == ["cat", "/tmp/ready"])
        #expect(envoy.readinessProbe?.port == nil)
        #expect(envoy.env.isEmpty)
        #expect(envoy.resources == ResourceRequirements())
    }

    @Test func oomKilledThenCrashLoopBackOff() throws {
        let status = try #require(pod.status.containerStatus(named: "auth"))
        #expect(status.ready == false)
        #expect(status.restartCount == 6)
        #expect(status.state.waiting?.reason == "CrashLoopBackOff")
        #expect(
            status.state.waiting?.message
                == "back-off 2m40s restarting failed container=auth pod=auth-service-7d9f8b6c5-abcde_production(0b7e1c52-8f3d-4a51-9a6e-3c2d1b0a9f8e)"
        )
        let terminated = try #require(status.lastState.terminated)
        #expect(terminated.reason == "OOMKilled")
        #expect(terminated.exitCode == 137)
        #expect(terminated.startedAt == Fixture.date("2024-05-01T10:00:00Z"))
        #expect(terminated.finishedAt == Fixture.date("2024-05-01T10:00:09Z"))

        let envoy = try #require(pod.status.containerStatus(named: "envoy"))
        #expect(envoy.state.running?.startedAt == Fixture.date("2024-05-01T09:58:55Z"))
        #expect(envoy.lastState == ContainerState())
    }

    @Test func podStatusAndConditions() {
        #expect(pod.status.phase == "Running")
        #expect(pod.status.podIP == "10.244.0.6")
        #expect(pod.status.qosClass == "Burstable")
        let ready = pod.status.conditions.first { $0.type == "Ready" }
        #expect(ready?.isTrue == false)
        #expect(ready?.reason == "ContainersNotReady")
        #expect(ready?.lastProbeTime == nil)
    }

    @Test func encodesBackToAPIShapedJSON() throws {
        let data = try KubeJSON.makeEncoder().encode(pod)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["creationTimestamp"] as? String == "2024-05-01T09:58:51Z")
        #expect(metadata["annotations"] == nil, "empty maps are omitted, as the API server does")
        let containers = try #require((object["spec"] as? [String: Any])?["containers"] as? [[String: Any]])
        #expect(containers[1]["env"] == nil)
        #expect((containers[0]["livenessProbe"] as? [String: Any]).flatMap { $0["httpGet"] as? [String: Any] }?["port"] as? Int == 8080)
        #expect(try KubeJSON.makeDecoder().decode(Pod.self, from: data) == pod)
    }

    @Test func nullIsToleratedForOptionalAndEmptyFields() throws {
        let json = """
            {"metadata":{"name":"p","namespace":null,"labels":null,"creationTimestamp":null},
             "spec":{"containers":[{"name":"c","env":null,"ports":null,"resources":null,"livenessProbe":null}]},
             "status":null}
            """
        let pod = try KubeJSON.makeDecoder().decode(Pod.self, from: Data(json.utf8))
        #expect(pod.metadata.namespace == nil)
        #expect(pod.metadata.labels.isEmpty)
        #expect(pod.spec.containers[0].env.isEmpty)
        #expect(pod.status == PodStatus())
    }
}
