import Foundation
import MedicKube
import MedicRunbook

/// The `workload` variable of runbook conditions: a workload with its containers, pods,
/// revisions, events and Services joined in, and the named facts (served ports, chaos flags,
/// last good image, …) computed here in Swift so rules stay short. docs/runbooks.md lists
/// every field.
enum WorkloadView {
    static func value(of workload: Workload, in cluster: ClusterView) -> CELValue {
        let pods = cluster.pods(of: workload)
        let replicaSets = cluster.replicaSets(of: workload)
        let events = cluster.events(of: workload)
        let services = cluster.services(selecting: workload)
        let currentRevision = workload.metadata.annotations["deployment.kubernetes.io/revision"].flatMap { Int($0) }
            ?? replicaSets.first?.revision
        let podSpec = workload.template.spec
        let claims: [CELValue] = podSpec.volumes.compactMap { volume -> CELValue? in
            guard let claim = volume["persistentVolumeClaim"]?["claimName"]?.string else { return nil }
            return .string(claim)
        }
        let previousReplicas = workload.desiredReplicas == 0 ? PreviousReplicas(of: workload, events: events) : nil

        let containers: [CELValue] = workload.containers.map { container in
            let health = ContainerHealth(container: container.name, pods: pods)
            let pullFailing = ["ErrImagePull", "ImagePullBackOff"].contains(health.waiting?.reason ?? "")
            let pullMessage = pullFailing ? pullFailureMessage(health.waiting, image: container.image, events: events) : ""
            let lastGood = LastGoodImage.image(forContainer: container.name, currentImage: container.image, workload: workload,
                                               revisions: replicaSets, currentRevision: currentRevision, pods: pods)
            var fields: [String: CELValue] = [
                "name": .string(container.name),
                "image": .string(container.image ?? ""),
                "ports": .list(container.ports.map { .int(Int64($0.containerPort)) }),
                "portNames": .map(Dictionary(container.ports.compactMap { port in
                    port.name.map { ($0, CELValue.int(Int64(port.containerPort))) } }, uniquingKeysWith: { a, _ in a })),
                "env": .list(container.env.map { variable in
                    .map(["name": .string(variable.name),
                          "value": variable.value.map(CELValue.string) ?? .null,
                          "from": .string(variable.valueFrom == nil ? "value" : "reference")])
                }),
                "envMap": .map(Dictionary(container.env.compactMap { variable in
                    variable.value.map { (variable.name, CELValue.string($0)) } }, uniquingKeysWith: { _, b in b })),
                "limits": resources(container.resources.limits),
                "requests": resources(container.resources.requests),
                "restartCount": .int(Int64(health.restartCount)),
                "ready": .bool(health.ready),
                "runningSince": health.runningSince.map(CELValue.timestamp) ?? .null,
                "waiting": .map(["reason": .string(health.waiting?.reason ?? ""),
                                 "message": .string(health.waiting?.message ?? ""),
                                 "pod": .string(health.waiting?.pod ?? "")]),
                "lastTermination": .map([
                    "reason": .string(health.lastTermination?.reason ?? ""),
                    "exitCode": .int(Int64(health.lastTermination?.exitCode ?? 0)),
                    "startedAt": health.lastTermination?.startedAt.map(CELValue.timestamp) ?? .null,
                    "finishedAt": health.lastTermination?.finishedAt.map(CELValue.timestamp) ?? .null,
                    "pod": .string(health.lastTermination?.pod ?? ""),
                    "message": .string(health.lastTermination?.message ?? ""),
                ]),
                "imagePull": .map([
                    "failing": .bool(pullFailing),
                    "reason": .string(pullFailing ? health.waiting?.reason ?? "" : ""),
                    "message": .string(pullMessage),
                    "cause": .string(pullFailing ? ImagePullCause.classify(pullMessage).rawValue : ""),
                ]),
                "lastGoodImage": lastGood.map { .string($0.image) } ?? .null,
                "lastGoodRevision": lastGood.map { .int(Int64($0.revision)) } ?? .null,
                "servedPorts": .list(ServedPorts.ports(of: container, in: podSpec, services: services)
                    .map { .int(Int64($0)) }),
            ]
            fields["previousLog"] = previousLog(of: container.name, pods: pods,
                                                preferring: health.lastTermination?.pod, in: cluster)
            fields["probes"] = .list(probes(of: container, events: events))
            let lastWords = lastWords(of: container, pods: pods, in: cluster)
            let missing = missingEnvironment(of: container, lastWords: lastWords)
            fields["forbidden"] = .list(lastWords.flatMap(ForbiddenAPICall.find(in:)).map { call in
                .map(["user": .string(call.user), "serviceAccount": .string(call.serviceAccount.map { "\($0.namespace)/\($0.name)" } ?? ""),
                      "verb": .string(call.verb), "resource": .string(call.resource), "group": .string(call.group),
                      "namespace": .string(call.namespace), "line": .string(call.line)])
            })
            fields["missingEnv"] = .list(missing.map { .map(["name": .string($0.name), "line": .string($0.line)]) })
            fields["revisionWithMissingEnv"] = missing.isEmpty ? .null
                : revision(setting: missing.map(\.name), in: container.name, replicaSets: replicaSets,
                           currentRevision: currentRevision).map { .int(Int64($0)) } ?? .null
            return .map(fields)
        }

        var chaosFlags: [CELValue] = []
        var poolSizeSettings: [CELValue] = []
        var danglingServiceRefs: [CELValue] = []
        var wrongServicePorts: [CELValue] = []
        let serviceNames = cluster.serviceNamesByNamespace[workload.namespace] ?? []
        let servicesByName = cluster.servicesByNamespace[workload.namespace] ?? [:]
        for container in workload.containers {
            let env = container.env.map { (name: $0.name, value: $0.value) }
            for variable in container.env {
                if let value = variable.value, let wrong = WrongServicePort.find(
                    name: variable.name, value: value, namespace: workload.namespace, services: servicesByName) {
                    wrongServicePorts.append(.map([
                        "container": .string(container.name), "name": .string(variable.name), "value": .string(value),
                        "service": .string(wrong.service), "port": .int(Int64(wrong.port)),
                        "servicePorts": .list(wrong.servicePorts.map { .int(Int64($0)) }),
                        "fixedValue": wrong.fixedValue.map(CELValue.string) ?? .null,
                    ]))
                }
                guard let value = variable.value, let reference = DanglingServiceReference.find(
                    name: variable.name, value: value, namespace: workload.namespace, services: serviceNames) else { continue }
                danglingServiceRefs.append(.map([
                    "container": .string(container.name), "name": .string(variable.name), "value": .string(value),
                    "service": .string(reference.service), "candidates": .list(reference.candidates.map(CELValue.string)),
                    "fixedValue": reference.fixedValue.map(CELValue.string) ?? .null,
                ]))
            }
            for flag in ChaosFlags.active(in: env) {
                chaosFlags.append(.map(["container": .string(container.name), "name": .string(flag.name),
                                        "value": .string(flag.value), "offValue": .string(ChaosFlags.offValue(for: flag.value))]))
            }
            for setting in PoolSizeSettings.settings(in: env) {
                poolSizeSettings.append(.map(["container": .string(container.name), "name": .string(setting.name),
                                              "value": .int(Int64(setting.value))]))
            }
        }

        let revisions: [CELValue] = replicaSets.map { replicaSet in
            .map([
                "revision": .int(Int64(replicaSet.revision ?? 0)),
                "name": .string(replicaSet.metadata.name),
                "current": .bool(replicaSet.revision == currentRevision),
                "replicas": .int(Int64(replicaSet.status.replicas ?? 0)),
                "readyReplicas": .int(Int64(replicaSet.status.readyReplicas ?? 0)),
                "images": .map(Dictionary((replicaSet.spec.template?.spec.containers ?? []).map {
                    ($0.name, CELValue.string($0.image ?? "")) }, uniquingKeysWith: { a, _ in a })),
                "createdAt": replicaSet.metadata.creationTimestamp.map(CELValue.timestamp) ?? .null,
            ])
        }

        return .map([
            "kind": .string(workload.kind),
            "name": .string(workload.name),
            "namespace": .string(workload.namespace),
            "labels": .map(workload.metadata.labels.mapValues(CELValue.string)),
            "annotations": .map(workload.metadata.annotations.mapValues(CELValue.string)),
            "podLabels": .map(workload.podLabels.mapValues(CELValue.string)),
            "replicas": workload.desiredReplicas.map { .int(Int64($0)) } ?? .null,
            "readyReplicas": .int(Int64(workload.readyReplicas)),
            "availableReplicas": .int(Int64(workload.availableReplicas)),
            "updatedReplicas": .int(Int64(workload.updatedReplicas)),
            "paused": .bool(workload.paused),
            "createdAt": workload.metadata.creationTimestamp.map(CELValue.timestamp) ?? .null,
            "containers": .list(containers),
            "pods": .list(pods.map(PodView.value)),
            "revision": currentRevision.map { .int(Int64($0)) } ?? .null,
            "revisions": .list(revisions),
            "events": .list(events.map(EventView.value)),
            "services": .list(services.map { .string($0.metadata.name) }),
            "chaosFlags": .list(chaosFlags),
            "poolSizeSettings": .list(poolSizeSettings),
            "danglingServiceRefs": .list(danglingServiceRefs),
            "wrongServicePorts": .list(wrongServicePorts),
            "conditions": .list(workload.conditions.map(ConditionView.value)),
            "callers": .list(cluster.callers(of: workload).map { caller in
                .map(["kind": .string(caller.workload.kind), "name": .string(caller.workload.name),
                      "container": .string(caller.container), "variable": .string(caller.variable),
                      "service": .string(caller.service)])
            }),
            "rejectedCallers": .list(CallerRejection.of(workload, in: cluster).map { rejection in
                .map(["kind": .string(rejection.caller.kind), "name": .string(rejection.caller.name),
                      "container": .string(rejection.container), "service": .string(rejection.service),
                      "refused": .string(rejection.refused), "line": .string(rejection.line)])
            }),
            "networkIsolation": { () -> CELValue in
                let isolation = NetworkIsolation.of(workload, policies: cluster.networkPoliciesByNamespace[workload.namespace] ?? [])
                return .map(["ingressDenied": .bool(isolation.ingressDenied), "egressDenied": .bool(isolation.egressDenied),
                             "policies": .list(isolation.policies.map(CELValue.string)),
                             "targeted": .list(isolation.targeted.map(CELValue.string))])
            }(),
            "chaosExperiments": .list(cluster.activeChaosExperiments.filter { experiment in
                experiment.targets(namespace: workload.namespace, name: "", labels: workload.podLabels)
                    || pods.contains { experiment.targets(namespace: workload.namespace, name: $0.metadata.name, labels: $0.metadata.labels) }
            }.map { experiment in
                .map(["kind": .string(experiment.kind ?? ""), "name": .string(experiment.metadata.name),
                      "namespace": .string(experiment.metadata.namespace ?? "default"), "injects": .string(experiment.injects),
                      "resource": .string((experiment.kind ?? "").lowercased()),
                      "createdAt": experiment.metadata.creationTimestamp.map(CELValue.timestamp) ?? .null])
            }),
            "unresolvedBy": .list(cluster.unresolved(meaning: workload).map { unresolved in
                .map(["kind": .string(unresolved.caller.kind), "name": .string(unresolved.caller.name),
                      "container": .string(unresolved.container), "host": .string(unresolved.host),
                      "port": unresolved.port.map { .int(Int64($0)) } ?? .null, "line": .string(unresolved.line)])
            }),
            "calls": .list(Set(cluster.calls(of: workload).map(\.service)).sorted().map(CELValue.string)),
            "persistentVolumeClaims": .list(claims),
            "featureFlags": .list((cluster.flagFaultsByWorkload[workload.ref] ?? [])
                .map(FlagView.value)),
            "rollout": RolloutHistory.of(workload, pods: pods, replicaSets: replicaSets, events: events,
                                         currentRevision: currentRevision).map(RolloutView.value) ?? .null,
            "previousReplicas": previousReplicas?.replicas.map { .int(Int64($0)) } ?? .null,
            "previousReplicasSource": .string(previousReplicas?.source ?? ""),
            "previousReplicasDeclared": .bool(previousReplicas?.declared ?? false),
            "scaledDownAt": previousReplicas?.scaledDownAt.map(CELValue.timestamp) ?? .null,
            "issues": .list(WorkloadIssue.issues(of: workload, pods: pods, replicaSets: replicaSets, events: events)
                .map(IssueView.value)),
        ])
    }

    /// The previous logs and termination messages of the container in the workload's pods.
    private static func lastWords(of container: Container, pods: [Pod], in cluster: ClusterView) -> [String] {
        pods.flatMap { pod in
            let status = pod.status.containerStatuses.first { $0.name == container.name }
            return [cluster.previousLog(namespace: pod.metadata.namespace ?? "default",
                                        pod: pod.metadata.name, container: container.name),
                    status?.lastState.terminated?.message, status?.state.terminated?.message].compactMap(\.self)
        }
    }

    /// What the container's last words say it lacked (see `MissingEnvironment`).
    private static func missingEnvironment(of container: Container, lastWords: [String]) -> [(name: String, line: String)] {
        let env = Set(container.env.map(\.name))
        var found: [(name: String, line: String)] = []
        for text in lastWords {
            for item in MissingEnvironment.names(inLog: text, env: env) where !found.contains(where: { $0.name == item.name }) {
                found.append(item)
            }
        }
        return found
    }

    /// The last lines of a crashed instance's log (`kubectl logs --previous`, saved in the
    /// snapshot for crash-looping containers): of the pod of the last termination when the
    /// snapshot has it, else of the first pod that has one. Bounded, so a rule's evidence and
    /// the view stay small whatever the application logs.
    static let previousLogLines = 20, previousLogBytes = 2048

    private static func previousLog(of container: String, pods: [Pod], preferring preferred: String?,
                                    in cluster: ClusterView) -> CELValue {
        let ordered = pods.filter { $0.metadata.name == preferred } + pods.filter { $0.metadata.name != preferred }
        for pod in ordered {
            guard let log = cluster.previousLog(namespace: pod.metadata.namespace ?? "default", pod: pod.metadata.name,
                                                container: container) else { continue }
            var lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            var tail = lines.suffix(previousLogLines).joined(separator: "\n")
            if tail.utf8.count > previousLogBytes {
                tail = String(decoding: tail.utf8.suffix(previousLogBytes), as: UTF8.self)
            }
            return .map(["pod": .string(pod.metadata.name), "tail": .string(tail)])
        }
        return .map(["pod": .string(""), "tail": .string("")])
    }

    /// The newest earlier revision whose template gave the container every one of `names`.
    private static func revision(setting names: [String], in container: String, replicaSets: [ReplicaSet],
                                 currentRevision: Int?) -> Int? {
        replicaSets.first { replicaSet in
            guard let revision = replicaSet.revision, revision != currentRevision,
                  let spec = replicaSet.spec.template?.spec.containers.first(where: { $0.name == container })
            else { return false }
            let set = Set(spec.env.map(\.name))
            return names.allSatisfy(set.contains)
        }?.revision
    }

    /// Memory in bytes and CPU in millicores, so rules can compare and multiply them.
    private static func resources(_ quantities: [String: String]) -> CELValue {
        .map([
            "memory": quantities["memory"].flatMap { try? Quantity.bytes($0) }.map { .int($0) } ?? .null,
            "cpu": quantities["cpu"].flatMap { try? Quantity.millicores($0) }.map { .int($0) } ?? .null,
        ])
    }

    private static func probes(of container: Container, events: [Event]) -> [CELValue] {
        let probes: [(String, Probe?)] = [("liveness", container.livenessProbe), ("readiness", container.readinessProbe),
                                          ("startup", container.startupProbe)]
        return probes.compactMap { kind, probe in
            guard let probe else { return nil }
            let (handler, target): (String, IntOrString?) =
                if let http = probe.httpGet { ("httpGet", http.port) }
                else if let tcp = probe.tcpSocket { ("tcpSocket", tcp.port) }
                else if let grpc = probe.grpc { ("grpc", .int(grpc.port)) }
                else { ("exec", nil) }
            let port: Int? = switch target {
            case .int(let number)?: number
            case .string(let name)?: container.port(named: name)?.containerPort
            case nil: nil
            }
            let failures = ProbeFailures(probe: kind, container: container.name, port: port, events: events)
            return .map([
                "kind": .string(kind),
                "handler": .string(handler),
                "port": port.map { .int(Int64($0)) } ?? .null,
                "path": .string(probe.httpGet?.path ?? ""),
                "failures": .int(Int64(failures.count)),
                "refused": .bool(failures.refused),
                "lastFailure": .string(failures.lastMessage),
            ])
        }
    }

    /// The most specific text about a failing pull: the `Failed to pull image` event for this
    /// image when there is one (it carries the registry's answer), else the waiting message.
    private static func pullFailureMessage(_ waiting: ContainerHealth.Waiting?, image: String?,
                                           events: [Event]) -> String {
        let failed = events.last { event in
            guard event.reason == "Failed", let message = event.message else { return false }
            return message.hasPrefix("Failed to pull image") && image.map { message.contains("\"\($0)\"") } ?? true
        }
        return failed?.message ?? waiting?.message ?? ""
    }
}

enum PodView {
    static func value(_ pod: Pod) -> CELValue {
        .map([
            "name": .string(pod.metadata.name),
            "phase": .string(pod.status.phase ?? ""),
            "ready": .bool(pod.status.conditions.contains { $0.type == "Ready" && $0.status == "True" }),
            "restarts": .int(Int64(pod.status.containerStatuses.reduce(0) { $0 + $1.restartCount })),
            "node": .string(pod.spec.nodeName ?? ""),
            "labels": .map(pod.metadata.labels.mapValues(CELValue.string)),
            "startTime": pod.status.startTime.map(CELValue.timestamp) ?? .null,
            "createdAt": pod.metadata.creationTimestamp.map(CELValue.timestamp) ?? .null,
            "conditions": .list(pod.status.conditions.map(ConditionView.value)),
        ])
    }
}

enum ConditionView {
    static func value(_ condition: Condition) -> CELValue {
        .map([
            "type": .string(condition.type),
            "status": .string(condition.status),
            "reason": .string(condition.reason ?? ""),
            "message": .string(condition.message ?? ""),
            "since": (condition.lastTransitionTime ?? condition.lastUpdateTime).map(CELValue.timestamp) ?? .null,
        ])
    }
}

enum FlagView {
    static func value(_ fault: FeatureFlagFault) -> CELValue {
        .map([
            "flag": .string(fault.flag), "configMap": .string(fault.configMap), "key": .string(fault.key),
            "variant": .string(fault.variant), "value": .string(fault.value),
            "offVariant": fault.offVariant.map(CELValue.string) ?? .null,
            "designated": .bool(fault.designates != nil),
        ])
    }
}

enum RolloutView {
    static func value(_ history: RolloutHistory) -> CELValue {
        .map([
            "revision": history.revision.map { .int(Int64($0)) } ?? .null,
            "since": history.since.map(CELValue.timestamp) ?? .null,
            "failing": .list(history.failing.map(IssueView.value)),
            "lastGoodRevision": history.lastGood.map { .int(Int64($0.revision)) } ?? .null,
            "lastGoodProof": .string(history.lastGood?.text ?? ""),
            "changes": .list(history.changes.map(CELValue.string)),
        ])
    }
}

enum IssueView {
    static func value(_ issue: WorkloadIssue) -> CELValue {
        .map([
            "kind": .string(issue.kind.rawValue),
            "object": .string(issue.object),
            "container": .string(issue.container),
            "reason": .string(issue.reason),
            "message": .string(issue.message),
            "since": issue.since.map(CELValue.timestamp) ?? .null,
            "settled": .bool(issue.settled),
            "next": .string(issue.next),
            "count": .int(Int64(issue.count)),
            "causes": .list(issue.causes.map(CELValue.string)),
            "until": issue.until.map(CELValue.timestamp) ?? .null,
        ])
    }
}

enum EventView {
    static func value(_ event: Event) -> CELValue {
        .map([
            "type": .string(event.type ?? ""),
            "reason": .string(event.reason ?? ""),
            "message": .string(event.message ?? ""),
            "count": .int(Int64(event.occurrences)),
            "lastSeen": event.lastSeen.map(CELValue.timestamp) ?? .null,
            "object": .string("\(event.involvedObject.kind ?? "")/\(event.involvedObject.name ?? "")"),
            "fieldPath": .string(event.involvedObject.fieldPath ?? ""),
        ])
    }
}
