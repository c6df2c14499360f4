#!/usr/bin/env python3
"""Generate a realistic `kubectl get ... -A -o json` snapshot for benchmarking and demos.

The output is one kubectl `List` holding Namespaces, Deployments, their ReplicaSets (one per
revision), Pods with full status, Services, Endpoints and core/v1 Events, shaped like real
kubectl 1.32 output: 4-space indentation, managedFields, last-applied-configuration
annotations, and the kubelet's real texts for OOMKilled, CrashLoopBackOff, ImagePullBackOff
and probe failures. Deterministic for a given --seed.

    python3 bench/gen_snapshot.py --pods 10000 --deployments 2000 --services 2000 --out FILE
    python3 bench/gen_snapshot.py ... --compact --out FILE   # no whitespace, as API servers send it
"""

import argparse
import hashlib
import json
import random
import sys
from datetime import datetime, timedelta, timezone

BASE_TIME = datetime(2024, 5, 1, 10, 0, 0, tzinfo=timezone.utc)
APPS = ["api", "auth", "billing", "cart", "catalog", "checkout", "search", "frontend", "gateway",
        "inventory", "mailer", "orders", "payments", "profile", "ranking", "recommender", "reports",
        "shipping", "users", "worker"]
TEAMS = ["core", "growth", "payments", "platform", "data"]
NAMESPACE_NAMES = ["production", "staging", "payments", "platform", "data", "monitoring", "web",
                   "batch", "internal", "edge", "search", "checkout", "identity", "media", "ml",
                   "analytics", "support", "default", "ops", "sandbox"]
ALPHANUM = "bcdfghjklmnpqrstvwxz2456789"


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.rv = 100000

    def uid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])

    def resource_version(self):
        self.rv += self.rng.randint(1, 50)
        return str(self.rv)

    def suffix(self, n):
        return "".join(self.rng.choice(ALPHANUM) for _ in range(n))

    def time(self, offset_seconds):
        return (BASE_TIME + timedelta(seconds=offset_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def micro_time(self, offset_seconds):
        t = BASE_TIME + timedelta(seconds=offset_seconds, microseconds=self.rng.randint(0, 999999))
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def managed_fields(self, manager, operation, fields, when, subresource=None):
        entry = {"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": fields,
                 "manager": manager, "operation": operation, "time": when}
        if subresource:
            entry["subresource"] = subresource
        return entry


def container_fields_v1(container):
    fields = {"f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {
        "f:limits": {"f:cpu": {}, "f:memory": {}}, "f:requests": {"f:cpu": {}, "f:memory": {}}},
        "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}}
    if container.get("env"):
        fields["f:env"] = {".": {}}
        for env in container["env"]:
            key = 'k:{"name":"%s"}' % env["name"]
            fields["f:env"][key] = {".": {}, "f:name": {}, ("f:value" if "value" in env else "f:valueFrom"): {}}
    if container.get("ports"):
        fields["f:ports"] = {".": {}}
        for port in container["ports"]:
            key = 'k:{"containerPort":%d,"protocol":"TCP"}' % port["containerPort"]
            fields["f:ports"][key] = {".": {}, "f:containerPort": {}, "f:name": {}, "f:protocol": {}}
    for probe in ("livenessProbe", "readinessProbe"):
        if probe in container:
            fields["f:" + probe] = {".": {}, "f:failureThreshold": {}, "f:httpGet": {
                ".": {}, "f:path": {}, "f:port": {}, "f:scheme": {}}, "f:initialDelaySeconds": {},
                "f:periodSeconds": {}, "f:successThreshold": {}, "f:timeoutSeconds": {}}
    return fields


def make_container(g, app, version, image_ok=True):
    port = g.rng.choice([8080, 8080, 3000, 9090, 5000])
    env = [
        {"name": "APP_NAME", "value": app},
        {"name": "LOG_LEVEL", "value": g.rng.choice(["info", "debug", "warn"])},
        {"name": "DB_POOL_SIZE", "value": str(g.rng.choice([10, 20, 50]))},
        {"name": "DATABASE_URL", "value": "postgres://%s-db.%s.svc.cluster.local:5432/%s" % (app, "data", app)},
        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"key": "password", "name": app + "-db"}}},
        {"name": "FEATURE_FLAGS", "valueFrom": {"configMapKeyRef": {"key": "flags", "name": app + "-config"}}},
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
    ]
    if g.rng.random() < 0.05:
        env.append({"name": "CHAOS_LATENCY_MS", "value": "500"})
    if g.rng.random() < 0.05:
        env.append({"name": "PAYMENT_FAILURE_RATE", "value": "0.2"})
    memory = g.rng.choice(["128Mi", "256Mi", "512Mi", "1Gi"])
    probe_port = port if g.rng.random() > 0.03 else port + 1
    probe = {"failureThreshold": 3, "httpGet": {"path": "/healthz", "port": probe_port, "scheme": "HTTP"},
             "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1}
    readiness = {"failureThreshold": 3, "httpGet": {"path": "/ready", "port": "http", "scheme": "HTTP"},
                 "initialDelaySeconds": 5, "periodSeconds": 5, "successThreshold": 1, "timeoutSeconds": 1}
    tag = version if image_ok else version + "-typo"
    return {
        "env": env,
        "image": "registry.example.com/%s/%s:%s" % (g.rng.choice(TEAMS), app, tag),
        "imagePullPolicy": "IfNotPresent",
        "livenessProbe": probe,
        "name": app,
        "ports": [{"containerPort": port, "name": "http", "protocol": "TCP"},
                  {"containerPort": 9102, "name": "metrics", "protocol": "TCP"}],
        "readinessProbe": readiness,
        "resources": {"limits": {"cpu": g.rng.choice(["500m", "1", "2"]), "memory": memory},
                      "requests": {"cpu": g.rng.choice(["100m", "250m"]), "memory": memory}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def pod_spec(containers):
    return {"containers": containers, "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "securityContext": {}, "terminationGracePeriodSeconds": 30}


def template_hash(g, template):
    return hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:10].translate(
        str.maketrans("0123456789abcdef", "bcdfghjklmnpqrst"))


def generate(args):
    g = Generator(args.seed)
    items = []
    namespaces = NAMESPACE_NAMES[:max(1, args.namespaces)]
    for i, ns in enumerate(namespaces):
        labels = {"kubernetes.io/metadata.name": ns}
        if ns in ("sandbox", "staging"):
            labels["medic.io/chaos"] = "allowed"
        items.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {
            "creationTimestamp": g.time(-86400 * 30 + i), "labels": labels,
            "managedFields": [g.managed_fields("kubectl-create", "Update", {"f:metadata": {"f:labels": {
                ".": {}, "f:kubernetes.io/metadata.name": {}}}}, g.time(-86400 * 30 + i))],
            "name": ns, "resourceVersion": g.resource_version(), "uid": g.uid()},
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})

    deployments = []
    for d in range(args.deployments):
        ns = namespaces[d % len(namespaces)]
        app = APPS[d % len(APPS)]
        name = "%s-%d" % (app, d // len(APPS)) if d >= len(APPS) else app
        created = -86400 * g.rng.randint(1, 20)
        revisions = g.rng.choice([2, 2, 3])
        bad_image = g.rng.random() < 0.01
        labels = {"app": name, "app.kubernetes.io/name": name, "team": g.rng.choice(TEAMS)}
        replicas = max(1, args.pods // max(1, args.deployments))
        containers = [make_container(g, app, "1.%d.0" % revisions, image_ok=not bad_image)]
        if g.rng.random() < 0.2:
            containers.append({"image": "registry.example.com/platform/envoy:1.29.1", "imagePullPolicy": "IfNotPresent",
                               "name": "envoy", "ports": [{"containerPort": 15001, "name": "proxy", "protocol": "TCP"}],
                               "resources": {"limits": {"cpu": "200m", "memory": "128Mi"},
                                             "requests": {"cpu": "50m", "memory": "64Mi"}},
                               "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"})
        template = {"metadata": {"creationTimestamp": None, "labels": dict(labels)}, "spec": pod_spec(containers)}
        last_applied = json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {
            "annotations": {}, "labels": labels, "name": name, "namespace": ns},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "template": template}},
            separators=(",", ":"))
        uid = g.uid()
        unavailable = 1 if bad_image else 0
        deployment = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {
                "annotations": {"deployment.kubernetes.io/revision": str(revisions),
                                "kubectl.kubernetes.io/last-applied-configuration": last_applied + "\n"},
                "creationTimestamp": g.time(created), "generation": revisions, "labels": labels,
                "managedFields": [
                    g.managed_fields("kubectl-client-side-apply", "Update", {"f:metadata": {"f:annotations": {
                        ".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}, "f:labels": {
                        ".": {}, "f:app": {}, "f:app.kubernetes.io/name": {}, "f:team": {}}}, "f:spec": {
                        "f:progressDeadlineSeconds": {}, "f:replicas": {}, "f:revisionHistoryLimit": {},
                        "f:selector": {}, "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {},
                        "f:maxUnavailable": {}}, "f:type": {}}, "f:template": {"f:metadata": {"f:labels": {
                        ".": {}, "f:app": {}}}, "f:spec": {"f:containers": {
                        'k:{"name":"%s"}' % c["name"]: container_fields_v1(c) for c in containers}}}}},
                        g.time(created + 3600)),
                    g.managed_fields("kube-controller-manager", "Update", {"f:metadata": {"f:annotations": {
                        "f:deployment.kubernetes.io/revision": {}}}, "f:status": {"f:availableReplicas": {},
                        "f:conditions": {".": {}, 'k:{"type":"Available"}': {".": {}, "f:lastTransitionTime": {},
                        "f:lastUpdateTime": {}, "f:message": {}, "f:reason": {}, "f:status": {}, "f:type": {}}},
                        "f:observedGeneration": {}, "f:readyReplicas": {}, "f:replicas": {},
                        "f:updatedReplicas": {}}}, g.time(created + 7200), subresource="status"),
                ],
                "name": name, "namespace": ns, "resourceVersion": g.resource_version(), "uid": uid},
            "spec": {"progressDeadlineSeconds": 600, "replicas": replicas, "revisionHistoryLimit": 10,
                     "selector": {"matchLabels": {"app": name}},
                     "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
                     "template": template},
            "status": {"availableReplicas": replicas - unavailable, "conditions": [
                {"lastTransitionTime": g.time(created + 60), "lastUpdateTime": g.time(created + 60),
                 "message": "Deployment has minimum availability.", "reason": "MinimumReplicasAvailable",
                 "status": "True", "type": "Available"},
                {"lastTransitionTime": g.time(created), "lastUpdateTime": g.time(created + 7200),
                 "message": 'ReplicaSet "%s" has successfully progressed.' % name, "reason": "NewReplicaSetAvailable",
                 "status": "True", "type": "Progressing"}],
                "observedGeneration": revisions, "readyReplicas": replicas - unavailable, "replicas": replicas,
                "updatedReplicas": replicas},
        }
        if unavailable:
            deployment["status"]["unavailableReplicas"] = unavailable
        items.append(deployment)
        deployments.append((deployment, revisions, bad_image))

    replica_sets = []
    for deployment, revisions, bad_image in deployments:
        meta = deployment["metadata"]
        for revision in range(1, revisions + 1):
            template = json.loads(json.dumps(deployment["spec"]["template"]))
            container = template["spec"]["containers"][0]
            container["image"] = container["image"].rsplit(":", 1)[0] + ":1.%d.0" % revision
            if revision == revisions and bad_image:
                container["image"] += "-typo"
            pod_hash = template_hash(g, template)
            template["metadata"]["labels"]["pod-template-hash"] = pod_hash
            current = revision == revisions
            replicas = deployment["spec"]["replicas"] if current else 0
            rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
                "annotations": {"deployment.kubernetes.io/desired-replicas": str(deployment["spec"]["replicas"]),
                                "deployment.kubernetes.io/max-replicas": str(deployment["spec"]["replicas"] + 1),
                                "deployment.kubernetes.io/revision": str(revision)},
                "creationTimestamp": g.time(-86400 + revision * 600), "generation": 1 if current else 2,
                "labels": dict(template["metadata"]["labels"]),
                "managedFields": [g.managed_fields("kube-controller-manager", "Update", {"f:metadata": {
                    "f:annotations": {".": {}, "f:deployment.kubernetes.io/desired-replicas": {},
                                      "f:deployment.kubernetes.io/revision": {}},
                    "f:ownerReferences": {".": {}, 'k:{"uid":"%s"}' % meta["uid"]: {}}},
                    "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {}}}, g.time(-86400 + revision * 600))],
                "name": "%s-%s" % (meta["name"], pod_hash), "namespace": meta["namespace"],
                "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                     "kind": "Deployment", "name": meta["name"], "uid": meta["uid"]}],
                "resourceVersion": g.resource_version(), "uid": g.uid()},
                "spec": {"replicas": replicas, "selector": {"matchLabels": {
                    "app": meta["name"], "pod-template-hash": pod_hash}}, "template": template},
                "status": {"availableReplicas": replicas, "fullyLabeledReplicas": replicas,
                           "observedGeneration": 1, "readyReplicas": replicas, "replicas": replicas}}
            if replicas == 0:
                rs["status"] = {"observedGeneration": 2, "replicas": 0}
            items.append(rs)
            if current:
                replica_sets.append((rs, bad_image))

    pods = []
    events = []
    node_count = max(3, args.pods // 30)
    pod_index = 0
    while pod_index < args.pods and replica_sets:
        rs, bad_image = replica_sets[pod_index % len(replica_sets)]
        pod_index += 1
        meta = rs["metadata"]
        name = "%s-%s" % (meta["name"], g.suffix(5))
        node = "node-%03d" % g.rng.randrange(node_count)
        ip = "10.%d.%d.%d" % (g.rng.randrange(244, 250), g.rng.randrange(256), g.rng.randrange(1, 255))
        spec = json.loads(json.dumps(rs["spec"]["template"]["spec"]))
        spec["nodeName"] = node
        spec["serviceAccountName"] = "default"
        spec["volumes"] = [{"name": "kube-api-access-" + g.suffix(5), "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                        "path": "namespace"}]}}]}}]
        pod_uid = g.uid()
        started = -g.rng.randint(600, 86400)
        roll = g.rng.random()
        failure = "ImagePullBackOff" if bad_image else (
            "OOMKilled" if roll < 0.03 else "CrashLoopBackOff" if roll < 0.05 else None)
        statuses = []
        for c in spec["containers"]:
            cid = "containerd://" + "%064x" % g.rng.getrandbits(256)
            status = {"containerID": cid, "image": c["image"],
                      "imageID": c["image"].split(":")[0] + "@sha256:" + "%064x" % g.rng.getrandbits(256),
                      "lastState": {}, "name": c["name"], "ready": True,
                      "restartCount": g.rng.choice([0, 0, 0, 0, 1, 2]), "started": True,
                      "state": {"running": {"startedAt": g.time(started)}}}
            if failure and c is spec["containers"][0]:
                status["ready"] = False
                status["started"] = False
                if failure == "ImagePullBackOff":
                    status.pop("containerID")
                    status["imageID"] = ""
                    status["restartCount"] = 0
                    status["state"] = {"waiting": {"reason": "ImagePullBackOff", "message":
                        'Back-off pulling image "%s": ErrImagePull: rpc error: code = NotFound desc = failed to pull '
                        'and unpack image "%s": failed to resolve reference "%s": %s: not found'
                        % (c["image"], c["image"], c["image"], c["image"])}}
                    events.append(("Failed", "Warning", 'Failed to pull image "%s": rpc error: code = NotFound '
                                   'desc = failed to pull and unpack image "%s": failed to resolve reference "%s": '
                                   '%s: not found' % ((c["image"],) * 4), name, meta["namespace"], pod_uid, c["name"], node))
                else:
                    restarts = g.rng.randint(3, 40)
                    status["restartCount"] = restarts
                    backoff = g.rng.choice(["20s", "40s", "1m20s", "2m40s", "5m0s"])
                    status["state"] = {"waiting": {"reason": "CrashLoopBackOff", "message":
                        "back-off %s restarting failed container=%s pod=%s_%s(%s)"
                        % (backoff, c["name"], name, meta["namespace"], pod_uid)}}
                    reason, code = ("OOMKilled", 137) if failure == "OOMKilled" else ("Error", 1)
                    status["lastState"] = {"terminated": {"containerID": cid, "exitCode": code,
                        "finishedAt": g.time(-120), "reason": reason, "startedAt": g.time(-130)}}
                    events.append(("BackOff", "Warning", "Back-off restarting failed container %s in pod %s_%s(%s)"
                                   % (c["name"], name, meta["namespace"], pod_uid), name, meta["namespace"], pod_uid,
                                   c["name"], node))
            elif status["restartCount"]:
                status["lastState"] = {"terminated": {"containerID": cid, "exitCode": 143, "finishedAt": g.time(started),
                                                      "reason": "Error", "startedAt": g.time(started - 3600)}}
            statuses.append(status)
        ready = "False" if failure else "True"
        phase = "Pending" if failure == "ImagePullBackOff" else "Running"
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {
            "creationTimestamp": g.time(started - 5), "generateName": meta["name"] + "-",
            "labels": dict(rs["spec"]["template"]["metadata"]["labels"]),
            "managedFields": [
                g.managed_fields("kube-controller-manager", "Update", {"f:metadata": {"f:generateName": {}, "f:labels": {
                    ".": {}, "f:app": {}, "f:pod-template-hash": {}}, "f:ownerReferences": {
                    ".": {}, 'k:{"uid":"%s"}' % meta["uid"]: {}}}, "f:spec": {"f:containers": {
                    'k:{"name":"%s"}' % c["name"]: container_fields_v1(c) for c in spec["containers"]},
                    "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {}, "f:schedulerName": {},
                    "f:securityContext": {}, "f:terminationGracePeriodSeconds": {}}}, g.time(started - 5)),
                g.managed_fields("kubelet", "Update", {"f:status": {"f:conditions": {
                    'k:{"type":"%s"}' % t: {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {},
                                              "f:status": {}, "f:type": {}}
                    for t in ("ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready")},
                    "f:containerStatuses": {}, "f:hostIP": {}, "f:hostIPs": {}, "f:phase": {}, "f:podIP": {},
                    "f:podIPs": {".": {}, 'k:{"ip":"%s"}' % ip: {".": {}, "f:ip": {}}}, "f:startTime": {}}},
                    g.time(started), subresource="status")],
            "name": name, "namespace": meta["namespace"],
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                 "kind": "ReplicaSet", "name": meta["name"], "uid": meta["uid"]}],
            "resourceVersion": g.resource_version(), "uid": pod_uid},
            "spec": spec,
            "status": {"conditions": [
                {"lastProbeTime": None, "lastTransitionTime": g.time(started), "status": "True",
                 "type": "PodReadyToStartContainers"},
                {"lastProbeTime": None, "lastTransitionTime": g.time(started - 5), "status": "True", "type": "Initialized"},
                {"lastProbeTime": None, "lastTransitionTime": g.time(started + 10), "status": ready, "type": "Ready"},
                {"lastProbeTime": None, "lastTransitionTime": g.time(started + 10), "status": ready, "type": "ContainersReady"},
                {"lastProbeTime": None, "lastTransitionTime": g.time(started - 5), "status": "True", "type": "PodScheduled"}],
                "containerStatuses": statuses, "hostIP": "192.168.%d.%d" % (g.rng.randrange(256), g.rng.randrange(1, 255)),
                "hostIPs": [{"ip": "192.168.0.1"}], "phase": phase, "podIP": ip, "podIPs": [{"ip": ip}],
                "qosClass": "Burstable", "startTime": g.time(started - 5)}}
        if failure and ready == "False":
            for condition in pod["status"]["conditions"][2:4]:
                condition["message"] = "containers with unready status: [%s]" % spec["containers"][0]["name"]
                condition["reason"] = "ContainersNotReady"
        items.append(pod)
        pods.append(pod)
        probe = spec["containers"][0]["livenessProbe"]["httpGet"]
        if probe["port"] != spec["containers"][0]["ports"][0]["containerPort"]:
            events.append(("Unhealthy", "Warning", 'Liveness probe failed: Get "http://%s:%d/healthz": dial tcp %s:%d: '
                           'connect: connection refused' % (ip, probe["port"], ip, probe["port"]), name,
                           meta["namespace"], pod_uid, spec["containers"][0]["name"], node))

    pods_by_app = {}
    for pod in pods:
        pods_by_app.setdefault((pod["metadata"]["namespace"], pod["metadata"]["labels"]["app"]), []).append(pod)
    for s in range(args.services):
        deployment = deployments[s % len(deployments)][0] if deployments else None
        ns = deployment["metadata"]["namespace"] if deployment else namespaces[0]
        app = deployment["metadata"]["name"] if deployment else "svc-%d" % s
        name = app if s < len(deployments) else "%s-%d" % (app, s // max(1, len(deployments)))
        selector_app = app if g.rng.random() > 0.02 else app + "-v2"
        port = deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] if deployment else 8080
        created = -86400 * g.rng.randint(1, 20)
        items.append({"apiVersion": "v1", "kind": "Service", "metadata": {
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": json.dumps({
                "apiVersion": "v1", "kind": "Service", "metadata": {"annotations": {}, "name": name, "namespace": ns},
                "spec": {"ports": [{"name": "http", "port": 80, "targetPort": "http"}],
                         "selector": {"app": selector_app}}}, separators=(",", ":")) + "\n"},
            "creationTimestamp": g.time(created),
            "managedFields": [g.managed_fields("kubectl-client-side-apply", "Update", {"f:metadata": {"f:annotations": {
                ".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}}, "f:spec": {
                "f:internalTrafficPolicy": {}, "f:ports": {".": {}, 'k:{"port":80,"protocol":"TCP"}': {
                    ".": {}, "f:name": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {}}},
                "f:selector": {}, "f:sessionAffinity": {}, "f:type": {}}}, g.time(created))],
            "name": name, "namespace": ns, "resourceVersion": g.resource_version(), "uid": g.uid()},
            "spec": {"clusterIP": "10.96.%d.%d" % (g.rng.randrange(256), g.rng.randrange(1, 255)),
                     "clusterIPs": ["10.96.0.1"], "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                     "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}],
                     "selector": {"app": selector_app}, "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}})
        backends = pods_by_app.get((ns, selector_app), [])
        ready = [p for p in backends if p["status"]["conditions"][2]["status"] == "True"]
        not_ready = [p for p in backends if p["status"]["conditions"][2]["status"] != "True"]

        def address(p):
            return {"ip": p["status"]["podIP"], "nodeName": p["spec"]["nodeName"], "targetRef": {
                "kind": "Pod", "name": p["metadata"]["name"], "namespace": ns, "uid": p["metadata"]["uid"]}}
        endpoints = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": g.time(-60)},
            "creationTimestamp": g.time(created), "labels": {"endpoints.kubernetes.io/managed-by": "endpoint-controller"},
            "managedFields": [g.managed_fields("kube-controller-manager", "Update", {"f:metadata": {"f:annotations": {
                ".": {}, "f:endpoints.kubernetes.io/last-change-trigger-time": {}}}, "f:subsets": {}}, g.time(-60))],
            "name": name, "namespace": ns, "resourceVersion": g.resource_version(), "uid": g.uid()}}
        if backends:
            subset = {"ports": [{"name": "http", "port": port, "protocol": "TCP"}]}
            if ready:
                subset["addresses"] = [address(p) for p in ready]
            if not_ready:
                subset["notReadyAddresses"] = [address(p) for p in not_ready]
            endpoints["subsets"] = [subset]
        items.append(endpoints)

    routine = [("Scheduled", "Normal", "Successfully assigned %s/%s to %s"), ("Pulled", "Normal",
               'Container image "%s" already present on machine'), ("Created", "Normal", "Created container %s"),
               ("Started", "Normal", "Started container %s")]
    while len(events) < args.events and pods:
        pod = g.rng.choice(pods)
        reason, kind, text = g.rng.choice(routine)
        c = pod["spec"]["containers"][0]
        message = text % ((pod["metadata"]["namespace"], pod["metadata"]["name"], pod["spec"]["nodeName"])
                          if reason == "Scheduled" else c["image"] if reason == "Pulled" else c["name"])
        events.append((reason, kind, message, pod["metadata"]["name"], pod["metadata"]["namespace"],
                       pod["metadata"]["uid"], c["name"], pod["spec"]["nodeName"]))
    for reason, kind, message, pod_name, ns, pod_uid, container, node in events[:max(args.events, 0)]:
        first = -g.rng.randint(300, 7200)
        count = g.rng.randint(1, 90) if kind == "Warning" else 1
        items.append({"apiVersion": "v1", "count": count, "eventTime": None, "firstTimestamp": g.time(first),
                      "involvedObject": {"apiVersion": "v1", "fieldPath": "spec.containers{%s}" % container
                                         if reason != "Scheduled" else None, "kind": "Pod", "name": pod_name,
                                         "namespace": ns, "resourceVersion": g.resource_version(), "uid": pod_uid},
                      "kind": "Event", "lastTimestamp": g.time(first + count * 30), "message": message,
                      "metadata": {"creationTimestamp": g.time(first),
                                   "name": "%s.%016x" % (pod_name, g.rng.getrandbits(64)), "namespace": ns,
                                   "resourceVersion": g.resource_version(), "uid": g.uid()},
                      "reason": reason, "reportingComponent": "kubelet", "reportingInstance": node,
                      "source": {"component": "kubelet", "host": node}, "type": kind})
        if reason == "Scheduled":
            item = items[-1]
            del item["involvedObject"]["fieldPath"]
            item["source"] = {"component": "default-scheduler"}
            item["reportingComponent"] = "default-scheduler"
            item["reportingInstance"] = "default-scheduler-control-plane"
            item["eventTime"] = g.micro_time(first)
            item["action"] = "Binding"
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pods", type=int, default=100)
    parser.add_argument("--deployments", type=int, default=20)
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--namespaces", type=int, default=len(NAMESPACE_NAMES))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default="-", help="output file (default: stdout)")
    parser.add_argument("--compact", action="store_true",
                        help="no whitespace between tokens, as API responses are sent, instead of kubectl's indentation")
    args = parser.parse_args()
    document = generate(args)
    out = sys.stdout if args.out == "-" else open(args.out, "w")
    if args.compact:
        json.dump(document, out, separators=(",", ":"), sort_keys=True)
    else:
        json.dump(document, out, indent=4, sort_keys=True)
    out.write("\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
