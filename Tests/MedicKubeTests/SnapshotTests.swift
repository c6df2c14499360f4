import Foundation
import MedicKube
import Testing

@Suite struct SnapshotTests {
    @Test func mixedListSortsEveryKind() throws {
        let snapshot = try Fixture.snapshot("mixed-list.json")
        #expect(snapshot.namespaces.map(\.metadata.name) == ["production"])
        #expect(snapshot.namespaces[0].status.phase == "Active")
        #expect(snapshot.deployments.map(\.metadata.name) == ["web"])
        #expect(snapshot.replicaSets.map(\.metadata.name) == ["web-7d9f8b6c5"])
        #expect(snapshot.statefulSets.map(\.metadata.name) == ["db"])
        #expect(snapshot.daemonSets.map(\.metadata.name) == ["node-exporter"])
        #expect(snapshot.jobs.map(\.metadata.name) == ["migrate"])
        #expect(snapshot.services.map(\.metadata.name) == ["web"])
        #expect(snapshot.endpoints.map(\.metadata.name) == ["web"])
        #expect(snapshot.events.count == 2)
        #expect(snapshot.pods.map(\.metadata.name) == ["sympozium-6b7c8d9f-k2j4h", "partsgo-5f6g7h8j-m3n4p"])
        #expect(snapshot.ignoredKinds == ["ConfigMap": 2, "Secret": 1])
    }

    @Test func configMapsKeepOnlyFeatureFlagFiles() throws {
        let json = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "flagd-config", "namespace": "shop"},
               "data": {"demo.flagd.json": "{\\"flags\\": {\\"x\\": {\\"defaultVariant\\": \\"on\\"}}}",
                        "db.properties": "password=hunter2"}},
              {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config", "namespace": "shop"},
               "data": {"DATABASE_URL": "postgres://app:hunter2@db/shop"}}
            ]}
            """
        let snapshot = try Snapshot.decode(Data(json.utf8), source: "test")
        #expect(snapshot.configMaps.map(\.metadata.name) == ["flagd-config"])
        #expect(snapshot.configMaps.first?.data.keys.sorted() == ["demo.flagd.json"])
        #expect(snapshot.ignoredKinds == ["ConfigMap": 1])
        // What medic saves carries no other configuration.
        let saved = String(decoding: try snapshot.encodedList(), as: UTF8.self)
        #expect(!saved.contains("hunter2"))
    }

    @Test func workloads() throws {
        let snapshot = try Fixture.snapshot("mixed-list.json")
        let deployment = snapshot.deployments[0]
        #expect(deployment.spec.replicas == 3)
        #expect(deployment.spec.selector.matchLabels == ["app": "web"])
        #expect(deployment.spec.strategy?.rollingUpdate?.maxSurge == .string("25%"))
        #expect(deployment.spec.strategy?.rollingUpdate?.maxUnavailable == .int(0))
        #expect(deployment.spec.template.metadata.labels == ["app": "web"])
        #expect(deployment.spec.template.spec.containers[0].port(named: "http")?.containerPort == 80)
        #expect(deployment.status.unavailableReplicas == 1)
        #expect(deployment.status.conditions.first?.reason == "MinimumReplicasUnavailable")

        let replicaSet = snapshot.replicaSets[0]
        #expect(replicaSet.revision == 3)
        #expect(replicaSet.metadata.controllerOwner?.name == "web")
        #expect(replicaSet.status.readyReplicas == 2)

        let statefulSet = snapshot.statefulSets[0]
        #expect(statefulSet.spec.serviceName == "db")
        #expect(statefulSet.spec.updateStrategy?.rollingUpdate?.partition == 0)
        #expect(statefulSet.status.updateRevision == "db-5c6d")

        let daemonSet = snapshot.daemonSets[0]
        #expect(daemonSet.status.numberUnavailable == 1)
        #expect(daemonSet.status.desiredNumberScheduled == 3)

        let job = snapshot.jobs[0]
        #expect(job.spec.backoffLimit == 6)
        #expect(job.spec.template.spec.containers[0].command == ["/migrate", "--up"])
        #expect(job.status.failed == 2)
        #expect(job.status.conditions.first?.reason == "BackoffLimitExceeded")
    }

    @Test func servicesAndEndpoints() throws {
        let snapshot = try Fixture.snapshot("mixed-list.json")
        let service = snapshot.services[0]
        #expect(service.spec.selector == ["app": "web"])
        #expect(service.spec.type == "NodePort")
        #expect(service.spec.ports == [
            ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .string("http")),
            ServicePort(name: "admin", protocol: "TCP", port: 9000, targetPort: .int(9001), nodePort: 30900),
        ])
        let subset = try #require(snapshot.endpoints[0].subsets.first)
        #expect(subset.addresses.map(\.ip) == ["10.244.0.7"])
        #expect(subset.notReadyAddresses.first?.targetRef?.name == "web-7d9f8b6c5-abcde")
        #expect(subset.ports == [EndpointPort(name: "http", port: 80, protocol: "TCP")])
    }

    @Test func probeFailureEvent() throws {
        let event = try Fixture.snapshot("mixed-list.json").events[0]
        #expect(event.reason == "Unhealthy")
        #expect(event.type == "Warning")
        #expect(
            event.message
                == #"Liveness probe failed: Get "http://10.244.0.6:8080/healthz": dial tcp 10.244.0.6:8080: connect: connection refused"#
        )
        #expect(event.involvedObject == ObjectReference(
            kind: "Pod", namespace: "production", name: "web-7d9f8b6c5-abcde", uid: "p1",
            apiVersion: "v1", resourceVersion: "123", fieldPath: "spec.containers{web}"
        ))
        #expect(event.count == 3)
        #expect(event.eventTime == nil)
        #expect(event.source == EventSource(component: "kubelet", host: "node-1"))
        #expect(event.lastSeen == Fixture.date("2024-05-01T10:00:20Z"))
    }

    @Test func eventMicroTime() throws {
        let event = try Fixture.snapshot("mixed-list.json").events[1]
        #expect(event.eventTime.map { abs($0.timeIntervalSince1970 - 1_714_557_599.123456) < 0.000_001 } == true)
        #expect(event.firstTimestamp == nil)
        #expect(event.lastSeen == event.eventTime)
        #expect(event.action == "Binding")
    }

    @Test func imagePullNotFoundAndUnauthorizedStayDistinct() throws {
        let pods = try Fixture.snapshot("mixed-list.json").pods
        let notFound = try #require(pods[0].status.containerStatuses.first?.state.waiting)
        #expect(notFound.reason == "ImagePullBackOff")
        #expect(notFound.message?.hasPrefix(
            #"Back-off pulling image "ghcr.io/alexsjones/sympozium/apiserver:v0.0.29": ErrImagePull: rpc error: code = NotFound"#
        ) == true)
        #expect(notFound.message?.hasSuffix("apiserver:v0.0.29: not found") == true)

        let unauthorized = try #require(pods[1].status.containerStatuses.first?.state.waiting)
        #expect(unauthorized.reason == "ErrImagePull")
        #expect(unauthorized.message?.hasPrefix("rpc error: code = Unknown") == true)
        #expect(unauthorized.message?.hasSuffix("401 Unauthorized") == true)
        #expect(pods[1].status.phase == "Pending")
        #expect(pods[1].status.containerStatuses.first?.imageID == "")
    }

    @Test func typedListItemsTakeTheirKindFromTheList() throws {
        let snapshot = try Fixture.snapshot("podlist-without-kinds.json")
        #expect(snapshot.pods.map(\.metadata.name) == ["api-1", "api-2"])
        #expect(snapshot.pods.map(\.kind) == ["Pod", "Pod"])
        #expect(snapshot.pods.map(\.apiVersion) == ["v1", "v1"])
        #expect(snapshot.pods[1].status == PodStatus())
        #expect(snapshot.ignoredKinds.isEmpty)
    }

    @Test func singleObject() throws {
        let snapshot = try Fixture.snapshot("pod-oomkilled.json")
        #expect(snapshot.pods.map(\.metadata.name) == ["auth-service-7d9f8b6c5-abcde"])
        #expect(snapshot.deployments.isEmpty)
    }

    @Test func singleIgnoredObjectAndEmptyList() throws {
        let configMap = try Snapshot.decode(
            Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"#.utf8), source: "cm.json"
        )
        #expect(configMap.ignoredKinds == ["ConfigMap": 1])
        let empty = try Snapshot.decode(Data(#"{"apiVersion":"v1","kind":"List","items":[]}"#.utf8), source: "e.json")
        #expect(empty == Snapshot())
        let eventsV1 = try Snapshot.decode(
            Data(#"{"kind":"EventList","apiVersion":"events.k8s.io/v1","items":[{"metadata":{"name":"e"},"regarding":{}}]}"#.utf8),
            source: "ev.json"
        )
        #expect(eventsV1.events.isEmpty)
        #expect(eventsV1.ignoredKinds == ["Event (events.k8s.io/v1)": 1])
    }

    @Test func theCaptureTimeTravelsAsAListAnnotation() throws {
        let captured = Date(timeIntervalSince1970: 1_795_143_600)
        let saved = try Snapshot(capturedAt: captured).encodedList()
        #expect(String(decoding: saved, as: UTF8.self).contains(#""medic.io/captured-at" : "2026-11-20T03:00:00Z""#))
        #expect(try Snapshot.decode(saved, source: "saved.json").capturedAt == captured)
        let kubectl = try Snapshot.decode(Data(#"{"apiVersion":"v1","kind":"List","items":[],"metadata":{"resourceVersion":""}}"#.utf8),
                                          source: "kubectl.json")
        #expect(kubectl.capturedAt == nil)
    }

    @Test func theNewestTimestampAndEveryNamespaceOfASnapshot() throws {
        let snapshot = try Fixture.snapshot("mixed-list.json")
        let newest = try #require(snapshot.newestTimestamp)
        #expect(snapshot.events.allSatisfy { ($0.lastSeen ?? .distantPast) <= newest.date })
        #expect(snapshot.pods.allSatisfy { ($0.metadata.creationTimestamp ?? .distantPast) <= newest.date })
        #expect(!newest.source.isEmpty)
        #expect(Snapshot().newestTimestamp == nil)
        #expect(Set(snapshot.pods.compactMap(\.metadata.namespace)).isSubset(of: snapshot.knownNamespaces))
        #expect(!snapshot.knownNamespaces.isEmpty)
    }

    @Test func mergedReplacesSameObjectsAndAddsCounts() throws {
        let first = try Fixture.snapshot("mixed-list.json")
        var newer = Snapshot(pods: [first.pods[0]], ignoredKinds: ["ConfigMap": 1])
        newer.pods[0].status.phase = "Running"
        let merged = first.merged(with: try Fixture.snapshot("podlist-without-kinds.json")).merged(with: newer)
        #expect(merged.pods.map(\.metadata.name) == [
            "partsgo-5f6g7h8j-m3n4p", "api-1", "api-2", "sympozium-6b7c8d9f-k2j4h",
        ])
        #expect(merged.pods.last?.status.phase == "Running")
        #expect(merged.deployments == first.deployments)
        #expect(merged.ignoredKinds == ["ConfigMap": 3, "Secret": 1])
    }
}
