#!/usr/bin/env python3
"""Writes the runbook unit-test fixtures into Tests/MedicDiagnosisTests/Fixtures/.

One small `kubectl get … -o json` List per case, all consistent with
T = 2026-11-20T03:00:00Z, plus the pool-exhaustion metric files (OpenMetrics).
Deterministic: each fixture is seeded with its own file name.
"""

import os
import random
import sys
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cloudmart"))

import gen_metrics as gm  # noqa: E402
import kubegen as k  # noqa: E402
from kubegen import T, ago  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "Tests", "MedicDiagnosisTests", "Fixtures")
NS = "production"


def probes(port, liveness_port=None):
    return dict(liveness=k.http_probe("/healthz", liveness_port or port, initial=10),
                readiness=k.http_probe("/ready", port, initial=5))


def workload(g, name, *, ns=NS, replicas=1, created=None, labels=None):
    labels = labels or {"app": name}
    return k.Workload(g, ns, name, labels=labels, deploy_labels=labels,
                      created=created or ago(days=20), replicas=replicas)


def healthy_status(w, entry, replicas, since=None):
    since = since or entry["created"] + timedelta(seconds=14)
    return {"last_write": since, "replicas": replicas, "updated": replicas, "ready": replicas,
            "available": replicas, "conditions": [
                k.available_true(since), k.progressing_done(entry["rs_name"], w.created, since)]}


def svc_and_ep(g, name, *, ns=NS, port=80, target, pods, selector=None, ep_ports=None, last_change=None,
               created=None):
    svc = k.service(g, ns, name, created=created or ago(days=20, minutes=-3), ports=[("http", port, target)],
                    selector=selector or {"app": name}, labels={"app": name},
                    cluster_ip=f"10.96.{int(g.hex(2, 'ip1', name), 16) % 250 + 1}.{int(g.hex(2, 'ip2', name), 16) % 250 + 2}")
    ep = k.endpoints(g, svc, pods=pods, ports=ep_ports if ep_ports is not None else [("http", target)],
                     last_change=last_change or max([ago(days=20)] + [h.last_ready_change for h in pods]))
    return [svc, ep]


def emit(name, g, items, namespaces=((NS, None),)):
    nss = [k.namespace(g, ns, ago(days=40), labels) for ns, labels in namespaces]
    k.write_json(os.path.join(OUT, name), k.as_list(nss + items))


def objects(w, status, **kw):
    d, rss, pods = w.objects(deploy_status=status, **kw)
    return d, rss, [d, *rss, *pods]


# ------------------------------------------------------------------------------------ oom-killed

def cart_container(limits):
    return k.container("cart", "cloudmart/cart:1.8.0", ports=[("http", 8080)],
                       env=[("REDIS_URL", "redis://cart-cache:6379"), ("LOG_LEVEL", "info")],
                       requests={"cpu": "100m", "memory": "96Mi"}, limits=limits, **probes(8080))


def oom_recent():
    g = k.Gen("oom-recent.json")
    w = workload(g, "cart")
    e = w.revision(1, [cart_container({"cpu": "500m", "memory": "128Mi"})], w.created, rs_replicas=1)
    crashes = k.crash_timeline(2, 95, last_finish=ago(minutes=5), first_run=timedelta(days=6))
    created = crashes[0][0] - timedelta(seconds=3)
    h, runs = k.recovered_pod(w, e, crashes, node="k8s-worker-2", ip="10.244.2.31", created=created, key=0,
                              cname="cart", exit_code=137, reason="OOMKilled")
    _, _, items = objects(w, healthy_status(w, e, 1, since=runs[-1][0] + timedelta(seconds=8)))
    items += svc_and_ep(g, "cart", target=8080, pods=[h])
    items += k.restart_events(h, "cart", "cloudmart/cart:1.8.0", runs, pulled_first=False)
    emit("oom-recent.json", g, items)
    return h.name


def oom_stale():
    g = k.Gen("oom-stale.json")
    w = workload(g, "cart")
    e = w.revision(1, [cart_container({"cpu": "500m", "memory": "128Mi"})], w.created, rs_replicas=1)
    crashes = [(ago(days=9), ago(days=3))]
    h, runs = k.recovered_pod(w, e, crashes, node="k8s-worker-2", ip="10.244.2.31",
                              created=ago(days=9, seconds=3), key=0, cname="cart", exit_code=137, reason="OOMKilled")
    _, _, items = objects(w, healthy_status(w, e, 1, since=runs[-1][0] + timedelta(seconds=8)))
    items += svc_and_ep(g, "cart", target=8080, pods=[h])
    emit("oom-stale.json", g, items)   # the restart's events expired long ago (1 h TTL)
    return h.name


def oom_no_limit():
    g = k.Gen("oom-no-limit.json")
    w = workload(g, "report-worker")
    c = k.container("worker", "cloudmart/report-worker:0.9.4", ports=[("metrics", 9100)],
                    env=[("QUEUE_URL", "amqp://rabbitmq:5672/reports"), ("BATCH_SIZE", "5000")],
                    requests={"cpu": "250m", "memory": "256Mi"},
                    liveness=k.http_probe("/healthz", 9100, initial=10))
    e = w.revision(1, [c], w.created, rs_replicas=1)
    # No limit: the kernel's node-level OOM killer picked this container under node memory pressure.
    crashes = k.crash_timeline(1, 240, last_finish=ago(minutes=6), first_run=timedelta(days=2))
    h, runs = k.recovered_pod(w, e, crashes, node="k8s-worker-1", ip="10.244.1.44",
                              created=crashes[0][0] - timedelta(seconds=3), key=0, cname="worker",
                              exit_code=137, reason="OOMKilled")
    _, _, items = objects(w, healthy_status(w, e, 1, since=runs[-1][0] + timedelta(seconds=8)))
    items += k.restart_events(h, "worker", "cloudmart/report-worker:0.9.4", runs, pulled_first=False)
    emit("oom-no-limit.json", g, items)
    return h.name


def odd_names():
    g = k.Gen("odd-names.json")
    weird = "we'ird $(touch /tmp/x)"
    w = workload(g, "legacy-billing")
    c = k.container(weird, "cloudmart/legacy-billing:4.2.0", ports=[("http", 8080)],
                    env=[("JAVA_OPTS", "-Xmx512m")], requests={"cpu": "200m", "memory": "256Mi"},
                    limits={"cpu": "1", "memory": "256Mi"}, **probes(8080))
    e = w.revision(1, [c], w.created, rs_replicas=1)
    runs = k.crash_timeline(4, 70, last_finish=ago(seconds=50), first_run=timedelta(days=4))
    h = k.crashlooping(w, e, runs, node="k8s-worker-3", ip="10.244.3.27", created=runs[0][0] - timedelta(seconds=3),
                       key=0, cname=weird, exit_code=137, reason="OOMKilled", run_key="odd")
    _, _, items = objects(w, {"last_write": runs[-1][1], "replicas": 1, "updated": 1, "conditions": [
        k.available_false(runs[-1][1] + timedelta(seconds=1)),
        k.progressing_done(e["rs_name"], w.created, w.created + timedelta(seconds=20))]})
    items += svc_and_ep(g, "legacy-billing", target=8080, pods=[h])
    items += k.restart_events(h, weird, "cloudmart/legacy-billing:4.2.0", runs, pulled_first=False)
    emit("odd-names.json", g, items)
    return h.name


# ------------------------------------------------------------------------------ selector-mismatch

def simple_healthy(g, name, *, image, port=8080, replicas=1, labels=None, node_ips=None, created_days=20):
    w = workload(g, name, replicas=replicas, labels=labels, created=ago(days=created_days))
    c = k.container(name, image, ports=[("http", port)],
                    env=[("LOG_LEVEL", "info")], requests={"cpu": "100m", "memory": "128Mi"},
                    limits={"cpu": "500m", "memory": "256Mi"}, **probes(port))
    e = w.revision(1, [c], w.created, rs_replicas=replicas)
    node_ips = node_ips or [("k8s-worker-1", f"10.244.1.{20 + i}") for i in range(replicas)]
    pods = [k.healthy_pod(w, e, node=n, ip=ip, created=ago(days=created_days - 1, seconds=-i * 7), key=i)
            for i, (n, ip) in enumerate(node_ips[:replicas])]
    _, _, items = objects(w, healthy_status(w, e, replicas, since=pods[-1].last_ready_change))
    return w, pods, items


def selector_mismatch():
    g = k.Gen("selector-mismatch.json")
    _, pay_pods, items = simple_healthy(g, "payments", image="cloudmart/payments:5.0.2", replicas=2,
                                        node_ips=[("k8s-worker-1", "10.244.1.51"), ("k8s-worker-2", "10.244.2.52")])
    _, ledger_pods, more = simple_healthy(g, "ledger", image="cloudmart/ledger:1.1.0",
                                          node_ips=[("k8s-worker-3", "10.244.3.53")])
    items += more
    # Someone re-applied the Service with `app: payment` 9 minutes ago.
    svc = k.service(g, NS, "payments", created=ago(days=20, minutes=-3), ports=[("http", 80, 8080)],
                    selector={"app": "payment"}, labels={"app": "payments"}, cluster_ip="10.96.88.14",
                    last_write=ago(minutes=9))
    items += [svc, k.endpoints(g, svc, pods=[], ports=[], last_change=ago(minutes=9))]
    items += svc_and_ep(g, "ledger", target=8080, pods=ledger_pods)
    emit("selector-mismatch.json", g, items)


def selector_ambiguous():
    g = k.Gen("selector-ambiguous.json")
    _, _, items = simple_healthy(g, "checkout", image="cloudmart/checkout:7.3.0", replicas=2,
                                 labels={"app": "checkout", "track": "stable"},
                                 node_ips=[("k8s-worker-1", "10.244.1.61"), ("k8s-worker-2", "10.244.2.62")])
    _, _, more = simple_healthy(g, "checkout-canary", image="cloudmart/checkout:7.4.0-rc.1",
                                labels={"app": "checkout", "track": "canary"},
                                node_ips=[("k8s-worker-3", "10.244.3.63")], created_days=2)
    items += more
    svc = k.service(g, NS, "checkout", created=ago(days=20, minutes=-3), ports=[("http", 80, 8080)],
                    selector={"app": "checkout-svc"}, labels={"app": "checkout"}, cluster_ip="10.96.61.7",
                    last_write=ago(minutes=14))
    items += [svc, k.endpoints(g, svc, pods=[], ports=[], last_change=ago(minutes=14))]
    emit("selector-ambiguous.json", g, items)


def selector_ok():
    g = k.Gen("selector-ok.json")
    _, pods, items = simple_healthy(g, "payments", image="cloudmart/payments:5.0.2", replicas=2,
                                    node_ips=[("k8s-worker-1", "10.244.1.51"), ("k8s-worker-2", "10.244.2.52")])
    items += svc_and_ep(g, "payments", target=8080, pods=pods)
    emit("selector-ok.json", g, items)


# ------------------------------------------------------------------------------------ probe-port

def probe_case(name, *, ports, liveness_port, broken, with_service):
    g = k.Gen(name)
    w = workload(g, "web")
    c = k.container("web", "cloudmart/web:2.0.3", ports=ports,
                    env=[("PORT", "3000"), ("NODE_ENV", "production")],
                    requests={"cpu": "100m", "memory": "192Mi"}, limits={"cpu": "500m", "memory": "384Mi"},
                    liveness=k.http_probe("/healthz", liveness_port, initial=15),
                    readiness=k.http_probe("/healthz", 3000, initial=5))
    items = []
    if broken:
        # Revision 2 moved the liveness probe; each instance is killed after three
        # refused probes (+15/+25/+35 s) and SIGKILLed 30 s later.
        runs = k.crash_timeline(4, 65, last_finish=ago(seconds=60))
        rollout = runs[0][0] - timedelta(seconds=3)
        old = w.revision(1, [dict(c, livenessProbe=k.http_probe("/healthz", 3000, initial=15))], w.created,
                         rs_replicas=0)
        old["scaled_down"] = rollout + timedelta(seconds=10)
        e = w.revision(2, [c], rollout, rs_replicas=1)
        h = k.crashlooping(w, e, runs, node="k8s-worker-1", ip="10.244.1.12", created=rollout, key=0,
                           cname="web", exit_code=137, reason="Error", run_key=name)
        deploy, rss, items = objects(w, {"last_write": runs[-1][1], "replicas": 1, "updated": 1, "conditions": [
            k.available_false(runs[-1][1] + timedelta(seconds=1)),
            k.progressing_done(e["rs_name"], w.created, rollout + timedelta(seconds=10))]})
        items += k.restart_events(h, "web", "cloudmart/web:2.0.3", runs, pulled_first=False)
        items += [
            k.kubelet_event(h, "web", reason="Unhealthy", type_="Warning",
                            message=f'Liveness probe failed: Get "http://{h.ip}:{liveness_port}/healthz": '
                                    f'dial tcp {h.ip}:{liveness_port}: connect: connection refused',
                            first=runs[0][0] + timedelta(seconds=15), last=runs[-1][0] + timedelta(seconds=35),
                            count=3 * len(runs)),
            k.kubelet_event(h, "web", reason="Killing", type_="Normal",
                            message="Container web failed liveness probe, will be restarted",
                            first=runs[0][0] + timedelta(seconds=35), last=runs[-1][0] + timedelta(seconds=35),
                            count=len(runs)),
            k.scaling_event(w, deploy, e["rs_name"], 0, 1, rollout),
            k.scaling_event(w, deploy, old["rs_name"], 1, 0, rollout + timedelta(seconds=10)),
        ]
        pods = [h]
    else:
        e = w.revision(1, [c], w.created, rs_replicas=1)
        h = k.healthy_pod(w, e, node="k8s-worker-1", ip="10.244.1.12", created=ago(days=5))
        _, _, items = objects(w, healthy_status(w, e, 1, since=h.last_ready_change))
        pods = [h]
    if with_service:
        items += svc_and_ep(g, "web", target=3000, pods=pods, ep_ports=[("http", 3000)])
    emit(name, g, items)
    return h.name


# ------------------------------------------------------------------------------------ chaos-flag

def chaos_case(name, env, *, ns=NS, ns_labels=None):
    g = k.Gen(name)
    w = workload(g, "inventory", ns=ns)

    def inventory(extra_env):
        return k.container("inventory", "cloudmart/inventory:3.2.1", ports=[("http", 8080)],
                           env=[("DATABASE_URL", "postgres://inventory-db:5432/inventory"),
                                ("LOG_LEVEL", "info")] + extra_env,
                           requests={"cpu": "200m", "memory": "256Mi"}, limits={"cpu": "1", "memory": "512Mi"},
                           **probes(8080))

    # Revision 2 (70 minutes before T) added the fault-injection variables.
    old = w.revision(1, [inventory([])], w.created, rs_replicas=0)
    c = inventory(env)
    changed = ago(minutes=70)
    old["scaled_down"] = changed + timedelta(seconds=15)
    e = w.revision(2, [c], changed, rs_replicas=1)
    h = k.healthy_pod(w, e, node="k8s-worker-2", ip="10.244.2.71", created=changed)
    _, _, items = objects(w, healthy_status(w, e, 1, since=changed + timedelta(seconds=15)))
    items += svc_and_ep(g, "inventory", ns=ns, target=8080, pods=[h])
    emit(name, g, items, namespaces=((ns, ns_labels),))
    return h.name


# ------------------------------------------------------------------------------------- bad-image

def pull_events(h, cname, image, error, created):
    pulls, t, wait = [], created + timedelta(seconds=2), 10
    while t < T:
        pulls.append(t)
        t += timedelta(seconds=1 + wait)
        wait = min(wait * 2, 300)
    backoffs = sum(int((b - a).total_seconds() // 15) for a, b in zip(pulls, pulls[1:] + [T]))
    return [
        k.scheduled_event(h, created),
        k.kubelet_event(h, cname, reason="Pulling", type_="Normal", message=f'Pulling image "{image}"',
                        first=pulls[0], last=pulls[-1], count=len(pulls)),
        k.kubelet_event(h, cname, reason="Failed", type_="Warning", message=f'Failed to pull image "{image}": {error}',
                        first=pulls[0] + timedelta(seconds=1), last=pulls[-1] + timedelta(seconds=1), count=len(pulls)),
        k.kubelet_event(h, cname, reason="Failed", type_="Warning", message="Error: ErrImagePull",
                        first=pulls[0] + timedelta(seconds=1), last=pulls[-1] + timedelta(seconds=1), count=len(pulls)),
        k.kubelet_event(h, cname, reason="BackOff", type_="Normal", message=f'Back-off pulling image "{image}"',
                        first=pulls[0] + timedelta(seconds=2), last=T - timedelta(seconds=5), count=backoffs),
        k.kubelet_event(h, cname, reason="Failed", type_="Warning", message="Error: ImagePullBackOff",
                        first=pulls[0] + timedelta(seconds=2), last=T - timedelta(seconds=5), count=backoffs),
    ], pulls


def image_pull_pod(w, entry, *, image, error, created, node, ip):
    return w.add_pod(entry, node=node, ip=ip, created=created, status={
        "phase": "Pending", "started": created + timedelta(seconds=1),
        "not_ready_since": created + timedelta(seconds=1),
        "containers": [{"name": w.name, "ready": False, "started": False,
                        "pulled": False,
                        "state": k.waiting("ImagePullBackOff", f'Back-off pulling image "{image}": ErrImagePull: {error}')}],
    })


def not_found(image):
    full = k.normalized_image(image)[1]
    return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{full}": '
            f'failed to resolve reference "{full}": {full}: not found')


def unauthorized(image):
    full = k.normalized_image(image)[1]
    host = full.split("/", 1)[0]
    tag = full.rsplit(":", 1)[1]
    return (f'rpc error: code = Unknown desc = failed to pull and unpack image "{full}": '
            f'failed to resolve reference "{full}": pulling from host {host} failed with status code '
            f'[manifests {tag}]: 401 Unauthorized')


def access_denied(image):
    full = k.normalized_image(image)[1]
    return (f'rpc error: code = Unknown desc = failed to pull and unpack image "{full}": '
            f'failed to resolve reference "{full}": pull access denied, repository does not exist or may '
            f'require authorization: server message: insufficient_scope: authorization failed')


def catalog_container(name, image):
    return k.container(name, image, ports=[("http", 8080)], env=[("LOG_LEVEL", "info")],
                       requests={"cpu": "100m", "memory": "128Mi"}, limits={"cpu": "500m", "memory": "256Mi"},
                       **probes(8080))


def bad_image_case(name, *, app, old_image, new_image, error_fn, rollout_min=16):
    g = k.Gen(name)
    w = workload(g, app)
    rollout = ago(minutes=rollout_min)
    old = w.revision(1, [catalog_container(app, old_image)], w.created, rs_replicas=1)
    new = w.revision(2, [catalog_container(app, new_image)], rollout, rs_replicas=1)
    running_pod = k.healthy_pod(w, old, node="k8s-worker-1", ip="10.244.1.81", created=ago(days=8))
    error = error_fn(new_image)
    stuck = image_pull_pod(w, new, image=new_image, error=error, created=rollout, node="k8s-worker-2", ip="10.244.2.82")
    deadline = rollout + timedelta(seconds=600)
    progressing = (k.progressing_deadline(new["rs_name"], deadline) if deadline <= T else
                   ("Progressing", "True", "ReplicaSetUpdated", f'ReplicaSet "{new["rs_name"]}" is progressing.',
                    rollout, w.created + timedelta(seconds=12)))
    deploy, rss, items = objects(w, {
        "last_write": min(deadline, T), "replicas": 2, "updated": 1, "ready": 1, "available": 1,
        "conditions": [k.available_true(w.created + timedelta(seconds=12)), progressing]})
    evs, _ = pull_events(stuck, app, new_image, error, rollout)
    rs_new = [r for r in rss if r["metadata"]["name"] == new["rs_name"]][0]
    items += evs + [k.scaling_event(w, deploy, new["rs_name"], 0, 1, rollout),
                    k.rs_created_pod_event(w, rs_new, stuck.name, rollout)]
    items += svc_and_ep(g, app, target=8080, pods=[running_pod, stuck], last_change=rollout + timedelta(seconds=1))
    emit(name, g, items)


def bad_image_no_previous():
    name = "bad-image-no-previous.json"
    g = k.Gen(name)
    created = ago(minutes=8)
    image = "cloudmart/search:1.0.0"
    w = workload(g, "search", created=created)
    e = w.revision(1, [catalog_container("search", image)], created, rs_replicas=1)
    error = not_found(image)
    stuck = image_pull_pod(w, e, image=image, error=error, created=created + timedelta(seconds=1),
                           node="k8s-worker-3", ip="10.244.3.91")
    deploy, rss, items = objects(w, {
        "last_write": created + timedelta(seconds=1), "replicas": 1, "updated": 1, "conditions": [
            k.available_false(created + timedelta(seconds=1)),
            ("Progressing", "True", "ReplicaSetUpdated", f'ReplicaSet "{e["rs_name"]}" is progressing.',
             created + timedelta(seconds=1), created)]})
    evs, _ = pull_events(stuck, "search", image, error, created + timedelta(seconds=1))
    items += evs + [k.scaling_event(w, deploy, e["rs_name"], 0, 1, created),
                    k.rs_created_pod_event(w, rss[0], stuck.name, created + timedelta(seconds=1))]
    items += svc_and_ep(g, "search", target=8080, pods=[stuck], created=created,
                        last_change=created + timedelta(seconds=2))
    emit(name, g, items)


# ------------------------------------------------------------------------------- pool-exhaustion

def pool_snapshot():
    g = k.Gen("pool.json")
    w = workload(g, "order-service")
    c = k.container("order", "cloudmart/order-service:3.0.1", ports=[("http", 8080)],
                    env=[("DATABASE_URL", "postgres://database-service:5432/orders"), ("DB_POOL_SIZE", "20"),
                         ("DB_POOL_TIMEOUT_MS", "5000"), ("LOG_LEVEL", "info")],
                    requests={"cpu": "200m", "memory": "256Mi"}, limits={"cpu": "1", "memory": "512Mi"},
                    **probes(8080))
    e = w.revision(1, [c], w.created, rs_replicas=1)
    h = k.healthy_pod(w, e, node="k8s-worker-2", ip="10.244.2.8", created=ago(days=3))
    _, _, items = objects(w, healthy_status(w, e, 1, since=h.last_ready_change))
    items += svc_and_ep(g, "order-service", target=8080, pods=[h])
    emit("pool.json", g, items)
    return h.name


def pool_metrics(name, pod, *, active_fn, rate_fn, err_fn):
    rng = random.Random(name)
    active, maximum = gm.pool_families(rng, service="order-service", pod_segments=[(pod, gm.START, gm.T)],
                                       max_conns=20, active_fn=active_fn, jitter=0.5)
    http = gm.http_family(rng, {"order-service": (lambda ts: rate_fn(ts) - err_fn(ts), err_fn,
                                                  lambda ts: err_fn(ts) * 0.25)})
    with open(os.path.join(OUT, name), "w") as f:
        f.write(gm.render([active, maximum, http]))


def saturated(ts):
    # Climbs from 9 to 19.5 between T-60m and T-20m, then 19-20 (95-100%).
    return gm.ramp(ts, start_min=60, end_min=20, low=9, high=19.5)


def rising_errors(ts):
    return gm.ramp(ts, start_min=20, end_min=0, low=0.02, high=6.0)


def main():
    os.makedirs(OUT, exist_ok=True)
    pods = {}
    pods["oom-recent.json"] = oom_recent()
    pods["oom-stale.json"] = oom_stale()
    pods["oom-no-limit.json"] = oom_no_limit()
    pods["odd-names.json"] = odd_names()
    selector_mismatch()
    selector_ambiguous()
    selector_ok()
    pods["probe-port.json"] = probe_case("probe-port.json", ports=[("http", 3000)], liveness_port=8080,
                                         broken=True, with_service=True)
    pods["probe-port-ambiguous.json"] = probe_case("probe-port-ambiguous.json",
                                                   ports=[("http", 3000), ("metrics", 9090)],
                                                   liveness_port=8080, broken=True, with_service=False)
    pods["probe-ok.json"] = probe_case("probe-ok.json", ports=[("http", 3000)], liveness_port=3000,
                                       broken=False, with_service=True)
    chaos_case("chaos-on.json", [("CHAOS_FAILURE_RATE", "0.5")])
    chaos_case("chaos-off.json", [("CHAOS_FAILURE_RATE", "0"), ("FAULT_INJECTION_ENABLED", "false")])
    chaos_case("chaos-namespace-marked.json", [("CHAOS_FAILURE_RATE", "0.5")], ns="staging",
               ns_labels={"medic.io/chaos": "true"})
    bad_image_case("bad-image.json", app="catalog", old_image="registry.cloudmart.io/catalog:2.4.1",
                   new_image="registry.cloudmart.io/catalog:2.5.0", error_fn=not_found)
    bad_image_case("bad-image-auth.json", app="catalog", old_image="registry.cloudmart.io/catalog:2.4.1",
                   new_image="registry.cloudmart.io/catalog:2.5.0", error_fn=unauthorized)
    bad_image_no_previous()
    bad_image_case("bad-image-dockerhub-ambiguous.json", app="recommender",
                   old_image="cloudmart/recommender:3.0.4", new_image="cloudmart/recommendr:3.1.0",
                   error_fn=access_denied)
    order_pod = pool_snapshot()
    flat25 = gm.flat(25.0)
    pool_metrics("pool-leak.om", order_pod, active_fn=saturated, rate_fn=flat25, err_fn=rising_errors)
    pool_metrics("pool-traffic.om", order_pod, active_fn=saturated,
                 rate_fn=lambda ts: gm.ramp(ts, start_min=24, end_min=20, low=25.0, high=75.0),
                 err_fn=rising_errors)
    pool_metrics("pool-healthy.om", order_pod, active_fn=gm.flat(8), rate_fn=flat25, err_fn=gm.flat(0.02))
    for name, pod in sorted(pods.items()):
        print(f"{name}: {pod}")
    print(f"pool.json: {order_pod}")


if __name__ == "__main__":
    main()
