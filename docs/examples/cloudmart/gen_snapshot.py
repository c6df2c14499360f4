#!/usr/bin/env python3
"""Writes snapshot.json: the CloudMart incident at T = 2026-11-20T03:00:00Z, as
`kubectl get namespaces,pods,deployments,replicasets,services,endpoints,events -A -o json`
would print it from a Kubernetes 1.32 cluster. Deterministic: re-running it changes nothing.

The faults (see README.md): auth-service OOMKilled, gateway Service selector mismatch,
api-service liveness probe on an unserved port, database-service chaos flag,
notification-service stuck on a missing image tag, order-service connection-pool leak
(visible in metrics.om only).
"""

import os
import sys
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "fixtures"))

import kubegen as k  # noqa: E402
from kubegen import ago, T  # noqa: E402

NS = "production"
g = k.Gen("cloudmart")
items = []
events = []

items.append(k.namespace(g, "kube-system", ago(days=45)))
items.append(k.namespace(g, NS, ago(days=41)))


def labels(app):
    return {"app": app}


def deploy_labels(app):
    return {"app": app, "app.kubernetes.io/part-of": "cloudmart"}


def add(workload, deploy_status, **kw):
    d, rss, pods = workload.objects(deploy_status=deploy_status, **kw)
    items.extend([d, *rss, *pods])
    return d, {r["metadata"]["name"]: r for r in rss}


def service_for(name, ip, ports, *, selector=None, last_write=None):
    return k.service(g, NS, name, created=ago(days=30, minutes=-5), ports=ports,
                     selector=selector or labels(name), labels=labels(name), cluster_ip=ip,
                     last_write=last_write)


# ------------------------------------------------------------------ gateway (selector mismatch)
gw = k.Workload(g, NS, "gateway", labels=labels("gateway"), deploy_labels=deploy_labels("gateway"),
                created=ago(days=30), replicas=2)


def gateway_container(image):
    return k.container(
        "gateway", image, ports=[("http", 8080)],
        env=[("UPSTREAM_API_URL", "http://api-service.production.svc.cluster.local"),
             ("WORKER_CONNECTIONS", "1024")],
        requests={"cpu": "100m", "memory": "128Mi"}, limits={"cpu": "500m", "memory": "256Mi"},
        liveness=k.http_probe("/healthz", 8080, initial=10), readiness=k.http_probe("/ready", 8080, initial=5))


gw1 = gw.revision(1, [gateway_container("cloudmart/gateway:2.2.4")], ago(days=30), rs_replicas=0)
gw2 = gw.revision(2, [gateway_container("cloudmart/gateway:2.3.0")], ago(days=6), rs_replicas=2)
gw1["scaled_down"] = ago(days=6) + timedelta(seconds=40)
gw_pods = [k.healthy_pod(gw, gw2, node="k8s-worker-1", ip="10.244.1.7", created=ago(days=6), key=0),
           k.healthy_pod(gw, gw2, node="k8s-worker-2", ip="10.244.2.5", created=ago(days=6, seconds=-22), key=1)]
add(gw, {"last_write": ago(days=6) + timedelta(seconds=40), "replicas": 2, "updated": 2, "ready": 2,
         "available": 2, "conditions": [
             k.available_true(ago(days=6) + timedelta(seconds=31)),
             k.progressing_done(gw2["rs_name"], ago(days=30), ago(days=6) + timedelta(seconds=40))]})
gw_svc = service_for("gateway", "10.96.41.17", [("http", 80, 8080)],
                     selector={"app": "nginx-gateway"}, last_write=ago(minutes=12))
items.append(gw_svc)
items.append(k.endpoints(g, gw_svc, pods=[], ports=[], last_change=ago(minutes=12)))

# ------------------------------------------------------------------ api-service (probe on 8080, serves 3000)
api = k.Workload(g, NS, "api-service", labels=labels("api-service"),
                 deploy_labels=deploy_labels("api-service"), created=ago(days=30), replicas=2)


def api_container(image, liveness_port):
    return k.container(
        "api", image, ports=[("http", 3000)],
        env=[("PORT", "3000"), ("NODE_ENV", "production"), ("LOG_LEVEL", "info"),
             ("AUTH_SERVICE_URL", "http://auth-service"), ("ORDER_SERVICE_URL", "http://order-service"),
             ("NOTIFICATION_SERVICE_URL", "http://notification-service")],
        requests={"cpu": "200m", "memory": "256Mi"}, limits={"cpu": "1", "memory": "512Mi"},
        liveness=k.http_probe("/healthz", liveness_port, initial=15),
        readiness=k.http_probe("/healthz", 3000, initial=5))


# Each instance: liveness fails at +15s, +25s, +35s; SIGTERM is ignored by node as PID 1,
# SIGKILL after the 30 s grace period: exit 137, reason Error (not an OOM).
API_RUN = 65
a_runs = k.crash_timeline(7, API_RUN, last_finish=ago(seconds=120))
rollout = a_runs[0][0] - timedelta(seconds=3)
b_runs = k.crash_timeline(7, API_RUN, first_start=rollout + timedelta(seconds=13))
api1 = api.revision(1, [api_container("cloudmart/api-service:1.4.1", 3000)], ago(days=30), rs_replicas=0,
                    rs_generation=3)
api2 = api.revision(2, [api_container("cloudmart/api-service:1.4.2", 8080)], rollout, rs_replicas=2,
                    rs_generation=2)
api1["scaled_down"] = rollout + timedelta(seconds=21)


api_a = k.crashlooping(api, api2, a_runs, node="k8s-worker-1", ip="10.244.1.12", created=rollout, key=0,
                     cname="api", exit_code=137, reason="Error", run_key="api-a")
api_b = k.crashlooping(api, api2, b_runs, node="k8s-worker-2", ip="10.244.2.17",
                     created=rollout + timedelta(seconds=10), key=1, cname="api", exit_code=137,
                     reason="Error", run_key="api-b")

api_deploy, api_rs = add(api, {
    "last_write": b_runs[-1][1], "replicas": 2, "updated": 2, "ready": 0, "available": 0,
    "conditions": [k.available_false(b_runs[-1][1] + timedelta(seconds=1)),
                   k.progressing_done(api2["rs_name"], ago(days=30), rollout + timedelta(seconds=21))]})
old_api_pods = [f"{api1['rs_name']}-{g.suffix('old', 'api', i)}" for i in range(2)]
events += [
    k.scaling_event(api, api_deploy, api2["rs_name"], 0, 1, rollout),
    k.rs_created_pod_event(api, api_rs[api2["rs_name"]], api_a.name, rollout),
    k.scaling_event(api, api_deploy, api1["rs_name"], 2, 1, rollout + timedelta(seconds=10)),
    k.rs_deleted_pod_event(api, api_rs[api1["rs_name"]], old_api_pods[0], rollout + timedelta(seconds=10)),
    k.scaling_event(api, api_deploy, api2["rs_name"], 1, 2, rollout + timedelta(seconds=10)),
    k.rs_created_pod_event(api, api_rs[api2["rs_name"]], api_b.name, rollout + timedelta(seconds=10)),
    k.scaling_event(api, api_deploy, api1["rs_name"], 1, 0, rollout + timedelta(seconds=21)),
    k.rs_deleted_pod_event(api, api_rs[api1["rs_name"]], old_api_pods[1], rollout + timedelta(seconds=21)),
]
# The deleted rev-1 pods' last events outlive them (events expire after 1 h).
for i, (name, node) in enumerate(zip(old_api_pods, ("k8s-worker-3", "k8s-worker-1"))):
    gone = {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": NS, "uid": g.uid("pod", NS, name),
                         "resourceVersion": g.rv(ago(days=12))}}
    events.append(k.event(g, gone, reason="Killing", type_="Normal", message="Stopping container api",
                          first=rollout + timedelta(seconds=10 + 11 * i), field_path="spec.containers{api}",
                          host=node))


for h, runs, secs in ((api_a, a_runs, "3.412s"), (api_b, b_runs, "2.981s")):
    events += k.restart_events(h, "api", "cloudmart/api-service:1.4.2", runs, pull_seconds=secs)
    events.append(k.kubelet_event(
        h, "api", reason="Unhealthy", type_="Warning",
        message=f'Liveness probe failed: Get "http://{h.ip}:8080/healthz": dial tcp {h.ip}:8080: connect: connection refused',
        first=runs[0][0] + timedelta(seconds=15), last=runs[-1][0] + timedelta(seconds=35), count=3 * len(runs)))
    events.append(k.kubelet_event(
        h, "api", reason="Killing", type_="Normal", message="Container api failed liveness probe, will be restarted",
        first=runs[0][0] + timedelta(seconds=35), last=runs[-1][0] + timedelta(seconds=35), count=len(runs)))
api_svc = service_for("api-service", "10.96.118.204", [("http", 80, 3000)])
items.append(api_svc)
items.append(k.endpoints(g, api_svc, pods=[api_a, api_b], ports=[("http", 3000)],
                         last_change=b_runs[-1][1]))

# ------------------------------------------------------------------ auth-service (OOMKilled, 64Mi)
auth = k.Workload(g, NS, "auth-service", labels=labels("auth-service"),
                  deploy_labels=deploy_labels("auth-service"), created=ago(days=30), replicas=1)
auth_c = k.container(
    "auth", "cloudmart/auth-service:2.1.0", ports=[("http", 8080)],
    env=[("JWT_ISSUER", "https://auth.cloudmart.example"), ("TOKEN_TTL_SECONDS", "900"),
         ("SESSION_CACHE_SIZE", "50000"), ("LOG_LEVEL", "info")],
    requests={"cpu": "100m", "memory": "64Mi"}, limits={"cpu": "500m", "memory": "64Mi"},
    liveness=k.http_probe("/healthz", 8080, initial=10), readiness=k.http_probe("/ready", 8080, initial=5))
auth1 = auth.revision(1, [auth_c], ago(days=30), rs_replicas=1)
# Ran for 9 days, then OOMs about 100 s after each start under the night batch load.
auth_runs = k.crash_timeline(5, 100, last_finish=ago(seconds=150), first_run=timedelta(days=9))
auth_created = auth_runs[0][0] - timedelta(seconds=3)
auth_pod = k.crashlooping(auth, auth1, auth_runs, node="k8s-worker-3", ip="10.244.3.9", created=auth_created,
                        key=0, cname="auth", exit_code=137, reason="OOMKilled", run_key="auth")
add(auth, {"last_write": auth_runs[-1][1], "replicas": 1, "updated": 1, "conditions": [
    k.available_false(auth_runs[-1][1] + timedelta(seconds=1)),
    k.progressing_done(auth1["rs_name"], ago(days=30), ago(days=30) + timedelta(seconds=12))]})
events += k.restart_events(auth_pod, "auth", "cloudmart/auth-service:2.1.0", auth_runs, pulled_first=False)
auth_svc = service_for("auth-service", "10.96.77.31", [("http", 80, 8080)])
items.append(auth_svc)
items.append(k.endpoints(g, auth_svc, pods=[auth_pod], ports=[("http", 8080)], last_change=auth_runs[-1][1]))

# ------------------------------------------------------------------ order-service (pool leak: metrics only)
order = k.Workload(g, NS, "order-service", labels=labels("order-service"),
                   deploy_labels=deploy_labels("order-service"), created=ago(days=30), replicas=1)


def order_container(image):
    return k.container(
        "order", image, ports=[("http", 8080)],
        env=[("DATABASE_URL", "postgres://database-service:5432/orders"), ("DB_POOL_SIZE", "20"),
             ("DB_POOL_TIMEOUT_MS", "5000"), ("PAYMENT_TIMEOUT_MS", "3000"), ("LOG_LEVEL", "info")],
        requests={"cpu": "200m", "memory": "256Mi"}, limits={"cpu": "1", "memory": "512Mi"},
        liveness=k.http_probe("/healthz", 8080, initial=10), readiness=k.http_probe("/ready", 8080, initial=5))


order1 = order.revision(1, [order_container("cloudmart/order-service:3.0.0")], ago(days=30), rs_replicas=0)
order2 = order.revision(2, [order_container("cloudmart/order-service:3.0.1")], ago(days=3), rs_replicas=1)
order1["scaled_down"] = ago(days=3) + timedelta(seconds=15)
order_pod = k.healthy_pod(order, order2, node="k8s-worker-2", ip="10.244.2.8", created=ago(days=3))
add(order, {"last_write": ago(days=3) + timedelta(seconds=15), "replicas": 1, "updated": 1, "ready": 1,
            "available": 1, "conditions": [
                k.available_true(ago(days=30) + timedelta(seconds=14)),
                k.progressing_done(order2["rs_name"], ago(days=30), ago(days=3) + timedelta(seconds=15))]})
order_svc = service_for("order-service", "10.96.201.9", [("http", 80, 8080)])
items.append(order_svc)
items.append(k.endpoints(g, order_svc, pods=[order_pod], ports=[("http", 8080)],
                         last_change=ago(days=3) + timedelta(seconds=10)))

# ------------------------------------------------------------------ database-service (chaos flag)
db = k.Workload(g, NS, "database-service", labels=labels("database-service"),
                deploy_labels=deploy_labels("database-service"), created=ago(days=30), replicas=1,
                strategy={"type": "Recreate"})


def db_container(extra_env):
    return k.container(
        "database", "cloudmart/database-service:1.2.0", ports=[("postgres", 5432), ("http", 8080)],
        env=[("POSTGRES_DB", "orders"), ("MAX_CONNECTIONS", "100"), ("LOG_LEVEL", "info")] + extra_env,
        requests={"cpu": "500m", "memory": "1Gi"}, limits={"cpu": "2", "memory": "2Gi"},
        liveness=k.tcp_probe(5432, initial=15), readiness=k.http_probe("/ready", 8080, initial=5))


# The chaos flag was left on after a game day: revision 2, 65 minutes before T.
db_change = ago(minutes=65)
db1 = db.revision(1, [db_container([])], ago(days=30), rs_replicas=0)
db2 = db.revision(2, [db_container([("CHAOS_FAILURE_RATE", "0.5")])], db_change, rs_replicas=1)
db1["scaled_down"] = db_change
db_pod = k.healthy_pod(db, db2, node="k8s-worker-3", ip="10.244.3.4", created=db_change + timedelta(seconds=33))
add(db, {"last_write": db_change + timedelta(seconds=45), "replicas": 1, "updated": 1, "ready": 1,
         "available": 1, "conditions": [
             k.available_true(db_change + timedelta(seconds=45)),
             k.progressing_done(db2["rs_name"], ago(days=30), db_change + timedelta(seconds=45))]})
db_svc = service_for("database-service", "10.96.143.56", [("postgres", 5432, 5432), ("http", 80, 8080)])
items.append(db_svc)
items.append(k.endpoints(g, db_svc, pods=[db_pod], ports=[("http", 8080), ("postgres", 5432)],
                         last_change=db_change + timedelta(seconds=45)))

# ------------------------------------------------------------------ notification-service (bad image tag)
notif = k.Workload(g, NS, "notification-service", labels=labels("notification-service"),
                   deploy_labels=deploy_labels("notification-service"), created=ago(days=30), replicas=1)


def notif_container(image):
    return k.container(
        "notification", image, ports=[("http", 8080)],
        env=[("SMTP_HOST", "smtp.sendgrid.net"), ("SMTP_PORT", "587"), ("LOG_LEVEL", "info")],
        requests={"cpu": "100m", "memory": "128Mi"}, limits={"cpu": "500m", "memory": "256Mi"},
        liveness=k.http_probe("/healthz", 8080, initial=10), readiness=k.http_probe("/ready", 8080, initial=5))


BAD = "cloudmart/notification-service:v2.0"
bad_full = k.normalized_image(BAD)[1]
notif_rollout = ago(minutes=18)
n1 = notif.revision(1, [notif_container("cloudmart/notification-service:v1.9.2")], ago(days=30), rs_replicas=0)
n2 = notif.revision(2, [notif_container("cloudmart/notification-service:v1.9.3")], ago(days=4), rs_replicas=1)
n3 = notif.revision(3, [notif_container(BAD)], notif_rollout, rs_replicas=1)
n1["scaled_down"] = ago(days=4) + timedelta(seconds=20)
n2_pod = k.healthy_pod(notif, n2, node="k8s-worker-2", ip="10.244.2.11", created=ago(days=4))
not_found = (f'rpc error: code = NotFound desc = failed to pull and unpack image "{bad_full}": '
             f'failed to resolve reference "{bad_full}": {bad_full}: not found')
n3_pod = notif.add_pod(n3, node="k8s-worker-3", ip="10.244.3.15", created=notif_rollout, status={
    "phase": "Pending",
    "started": notif_rollout + timedelta(seconds=1),
    "not_ready_since": notif_rollout + timedelta(seconds=1),
    "last_write": ago(seconds=169),
    "containers": [{"name": "notification", "ready": False, "started": False, "restarts": 0, "pulled": False,
                    "state": k.waiting("ImagePullBackOff",
                                       f'Back-off pulling image "{BAD}": ErrImagePull: {not_found}')}],
})
notif_deploy, notif_rs = add(notif, {
    "last_write": notif_rollout + timedelta(seconds=601), "replicas": 2, "updated": 1, "ready": 1, "available": 1,
    "conditions": [k.available_true(ago(days=30) + timedelta(seconds=12)),
                   k.progressing_deadline(n3["rs_name"], notif_rollout + timedelta(seconds=601))]},
    deploy_generation=3)
# Pull attempts at +2s, then after back-offs of 10s, 20s, 40s … 300s.
pulls, t, wait = [], notif_rollout + timedelta(seconds=2), 10
while t < T:
    pulls.append(t)
    t += timedelta(seconds=1 + wait)
    wait = min(wait * 2, 300)
backoffs = sum(int((b - a).total_seconds() // 15) for a, b in zip(pulls, pulls[1:] + [T]))
events += [
    k.scaling_event(notif, notif_deploy, n3["rs_name"], 0, 1, notif_rollout),
    k.rs_created_pod_event(notif, notif_rs[n3["rs_name"]], n3_pod.name, notif_rollout),
    k.scheduled_event(n3_pod, notif_rollout),
    k.kubelet_event(n3_pod, "notification", reason="Pulling", type_="Normal", message=f'Pulling image "{BAD}"',
                    first=pulls[0], last=pulls[-1], count=len(pulls)),
    k.kubelet_event(n3_pod, "notification", reason="Failed", type_="Warning",
                    message=f'Failed to pull image "{BAD}": {not_found}',
                    first=pulls[0] + timedelta(seconds=1), last=pulls[-1] + timedelta(seconds=1), count=len(pulls)),
    k.kubelet_event(n3_pod, "notification", reason="Failed", type_="Warning", message="Error: ErrImagePull",
                    first=pulls[0] + timedelta(seconds=1), last=pulls[-1] + timedelta(seconds=1), count=len(pulls)),
    k.kubelet_event(n3_pod, "notification", reason="BackOff", type_="Normal", message=f'Back-off pulling image "{BAD}"',
                    first=pulls[0] + timedelta(seconds=2), last=T - timedelta(seconds=4), count=backoffs),
    k.kubelet_event(n3_pod, "notification", reason="Failed", type_="Warning", message="Error: ImagePullBackOff",
                    first=pulls[0] + timedelta(seconds=2), last=T - timedelta(seconds=4), count=backoffs),
]
notif_svc = service_for("notification-service", "10.96.9.188", [("http", 80, 8080)])
items.append(notif_svc)
items.append(k.endpoints(g, notif_svc, pods=[n2_pod, n3_pod], ports=[("http", 8080)],
                         last_change=notif_rollout + timedelta(seconds=1)))

# ------------------------------------------------------------------ kube-system: coredns (healthy decoy)
core = k.Workload(g, "kube-system", "coredns", labels={"k8s-app": "kube-dns"},
                  deploy_labels={"k8s-app": "kube-dns"}, created=ago(days=45), replicas=2,
                  strategy={"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}, "type": "RollingUpdate"})
dns = k.container(
    "coredns", "registry.k8s.io/coredns/coredns:v1.11.3",
    ports=[("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")],
    args=["-conf", "/etc/coredns/Corefile"],
    requests={"cpu": "100m", "memory": "70Mi"}, limits={"memory": "170Mi"},
    liveness=k.http_probe("/health", 8080, initial=60, failure=5, timeout=5),
    readiness=k.http_probe("/ready", 8181))
dns["securityContext"] = {"allowPrivilegeEscalation": False,
                          "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                          "readOnlyRootFilesystem": True}
dns["volumeMounts"] = [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True}]
dns = dict(sorted(dns.items()))
core1 = core.revision(
    1, [dns], ago(days=45), rs_replicas=2,
    affinity={"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
        "podAffinityTerm": {"labelSelector": {"matchExpressions": [
            {"key": "k8s-app", "operator": "In", "values": ["kube-dns"]}]},
            "topologyKey": "kubernetes.io/hostname"}, "weight": 100}]}},
    nodeSelector={"kubernetes.io/os": "linux"}, priorityClassName="system-cluster-critical",
    serviceAccountName="coredns",
    tolerations=[{"key": "CriticalAddonsOnly", "operator": "Exists"},
                 {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
    volumes=[{"configMap": {"defaultMode": 420, "items": [{"key": "Corefile", "path": "Corefile"}],
                            "name": "coredns"}, "name": "config-volume"}])
for i, (node, ip) in enumerate((("k8s-worker-1", "10.244.1.2"), ("k8s-worker-2", "10.244.2.2"))):
    h = k.healthy_pod(core, core1, node=node, ip=ip, created=ago(days=45, seconds=-40 - i), key=i)
    h.pod["spec"]["priority"] = 2000000000
add(core, {"last_write": ago(days=45) + timedelta(seconds=60), "replicas": 2, "updated": 2, "ready": 2,
           "available": 2, "conditions": [
               k.available_true(ago(days=45) + timedelta(seconds=58)),
               k.progressing_done(core1["rs_name"], ago(days=45), ago(days=45) + timedelta(seconds=60))]})
kube_dns = k.service(g, "kube-system", "kube-dns", created=ago(days=45), cluster_ip="10.96.0.10",
                     ports=[("dns", 53, 53, "UDP"), ("dns-tcp", 53, 53, "TCP"), ("metrics", 9153, 9153, "TCP")],
                     selector={"k8s-app": "kube-dns"},
                     labels={"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                             "kubernetes.io/name": "CoreDNS"})
kube_dns["metadata"]["annotations"] = {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}
kube_dns["metadata"] = dict(sorted(kube_dns["metadata"].items()))
items.append(kube_dns)
items.append(k.endpoints(g, kube_dns, pods=core.pods, ports=[("dns-tcp", 53, "TCP"), ("dns", 53, "UDP"),
                                                              ("metrics", 9153, "TCP")],
                         last_change=ago(days=45) + timedelta(seconds=58)))

items.extend(events)
snapshot = k.as_list(items)
# As `medic snapshot` records it: advise evaluates at the capture time without --at.
snapshot["metadata"]["annotations"] = {"medic.io/captured-at": T.strftime("%Y-%m-%dT%H:%M:%SZ")}
k.write_json(os.path.join(HERE, "snapshot.json"), snapshot)
print("order-service pod:", order_pod.name)
print("database-service pod:", db_pod.name)
