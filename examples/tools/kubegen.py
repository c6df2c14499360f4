"""Deterministic builders for Kubernetes 1.32 objects as `kubectl get -o json` prints them.

Why this exists: medic's example snapshot and its test fixtures must look exactly like
real API output (defaulted fields, uids, resourceVersions, ownerReferences, kubelet
texts), and must stay consistent with one evaluation instant T. Writing that JSON by
hand drifts; generating it from one place keeps every file coherent and re-creatable.

Everything is derived from a seed string with SHA-256, so re-running a generator
produces byte-identical files.
"""

import copy
import hashlib
import json
import uuid
from datetime import datetime, timedelta, timezone

T = datetime(2026, 11, 20, 3, 0, 0, tzinfo=timezone.utc)

# k8s.io/apimachinery/pkg/util/rand: the alphabet of generated name suffixes.
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

NODES = {
    "k8s-worker-1": {"ip": "10.0.1.11", "podnet": "10.244.1."},
    "k8s-worker-2": {"ip": "10.0.1.12", "podnet": "10.244.2."},
    "k8s-worker-3": {"ip": "10.0.1.13", "podnet": "10.244.3."},
}


def iso(when):
    """metav1.Time: RFC 3339, whole seconds, UTC."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(**delta):
    return T - timedelta(**delta)


class Gen:
    """Seeded source of uids, names, hashes and resourceVersions."""

    def __init__(self, seed):
        self.seed = seed
        self._rvs = set()

    def _digest(self, *parts):
        text = self.seed + "\x00" + "\x00".join(str(p) for p in parts)
        return hashlib.sha256(text.encode()).digest()

    def uid(self, *parts):
        raw = bytearray(self._digest("uid", *parts)[:16])
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        return str(uuid.UUID(bytes=bytes(raw)))

    def hex(self, length, *parts):
        return hashlib.sha256(self._digest("hex", *parts)).hexdigest()[:length]

    def suffix(self, *parts):
        """rand.String(5), as the ReplicaSet controller's generateName uses."""
        digest = self._digest("suffix", *parts)
        return "".join(SAFE_ALPHABET[b % len(SAFE_ALPHABET)] for b in digest[:5])

    def template_hash(self, *parts):
        """pod-template-hash: SafeEncodeString of a decimal uint32 (only 10 letters occur)."""
        number = int.from_bytes(self._digest("pth", *parts)[:4], "big")
        if number < 100_000_000:
            number += 100_000_000
        return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in str(number))

    def rv(self, when):
        """resourceVersion grows with the time of the last write, as etcd revisions do."""
        value = 4_000_000 + int((when - (T - timedelta(days=60))).total_seconds() // 4)
        while value in self._rvs:
            value += 1
        self._rvs.add(value)
        return str(value)

    def token_volume(self, *parts):
        return "kube-api-access-" + self.suffix("vol", *parts)


# --------------------------------------------------------------------------- spec pieces

def http_probe(path, port, *, initial=None, period=10, failure=3, timeout=1):
    probe = {
        "failureThreshold": failure,
        "httpGet": {"path": path, "port": port, "scheme": "HTTP"},
        "periodSeconds": period,
        "successThreshold": 1,
        "timeoutSeconds": timeout,
    }
    if initial is not None:
        probe["initialDelaySeconds"] = initial
    return dict(sorted(probe.items()))


def tcp_probe(port, *, initial=None, period=10, failure=3, timeout=1):
    probe = {
        "failureThreshold": failure,
        "periodSeconds": period,
        "successThreshold": 1,
        "tcpSocket": {"port": port},
        "timeoutSeconds": timeout,
    }
    if initial is not None:
        probe["initialDelaySeconds"] = initial
    return dict(sorted(probe.items()))


def container(name, image, *, ports=(), env=(), requests=None, limits=None,
              liveness=None, readiness=None, args=None):
    """A container as the API server returns it after defaulting."""
    c = {}
    if args:
        c["args"] = list(args)
    if env:
        c["env"] = [{"name": k, "value": v} for k, v in env]
    c["image"] = image
    c["imagePullPolicy"] = "Always" if image.endswith(":latest") or ":" not in image.rsplit("/", 1)[-1] else "IfNotPresent"
    if liveness:
        c["livenessProbe"] = liveness
    c["name"] = name
    if ports:
        c["ports"] = [
            {"containerPort": port, "name": pname, "protocol": proto}
            if pname else {"containerPort": port, "protocol": proto}
            for pname, port, proto in (p if len(p) == 3 else (p[0], p[1], "TCP") for p in ports)
        ]
    if readiness:
        c["readinessProbe"] = readiness
    resources = {}
    if limits:
        resources["limits"] = dict(limits)
    if requests:
        resources["requests"] = dict(requests)
    c["resources"] = resources
    c["terminationMessagePath"] = "/dev/termination-log"
    c["terminationMessagePolicy"] = "File"
    return c


def pod_template_spec(containers, **extra):
    spec = {
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    }
    spec.update(extra)
    return dict(sorted(spec.items()))


def qos_class(containers):
    limits = [c["resources"].get("limits", {}) for c in containers]
    requests = [c["resources"].get("requests", {}) for c in containers]
    if not any(limits) and not any(requests):
        return "BestEffort"
    guaranteed = all(
        lim.get("cpu") and lim.get("memory")
        and req.get("cpu", lim["cpu"]) == lim["cpu"] and req.get("memory", lim["memory"]) == lim["memory"]
        for lim, req in zip(limits, requests)
    )
    return "Guaranteed" if guaranteed else "Burstable"


# --------------------------------------------------------------------------- objects

def namespace(g, name, created, labels=None):
    all_labels = {"kubernetes.io/metadata.name": name}
    all_labels.update(labels or {})
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "creationTimestamp": iso(created),
            "labels": dict(sorted(all_labels.items())),
            "name": name,
            "resourceVersion": g.rv(created),
            "uid": g.uid("ns", name),
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def ref_to(obj, *, controller=True):
    return {
        "apiVersion": obj["apiVersion"],
        "blockOwnerDeletion": True,
        "controller": controller,
        "kind": obj["kind"],
        "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"],
    }


class Workload:
    """A Deployment with its ReplicaSets (one per revision) and their pods."""

    def __init__(self, g, ns, name, *, labels, created, replicas, strategy=None,
                 revision_history=10, progress_deadline=600, deploy_labels=None):
        self.g, self.ns, self.name = g, ns, name
        self.labels = dict(labels)
        self.deploy_labels = dict(deploy_labels if deploy_labels is not None else labels)
        self.created, self.replicas = created, replicas
        self.strategy = strategy or {
            "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            "type": "RollingUpdate",
        }
        self.revision_history = revision_history
        self.progress_deadline = progress_deadline
        self.uid = g.uid("deploy", ns, name)
        self.revisions = []   # dicts: rev, template, created, rs, pods
        self.pods = []
        self.rs_objects = []

    # A revision is a pod template; its ReplicaSet is created at `created`.
    def revision(self, rev, containers, created, *, rs_replicas, template_annotations=None,
                 rs_generation=None, **spec_extra):
        template = {
            "metadata": {"creationTimestamp": None, "labels": dict(sorted(self.labels.items()))},
            "spec": pod_template_spec(copy.deepcopy(containers), **spec_extra),
        }
        if template_annotations:
            template["metadata"]["annotations"] = dict(template_annotations)
            template["metadata"] = dict(sorted(template["metadata"].items()))
        pth = self.g.template_hash("rs", self.ns, self.name, rev)
        entry = {"rev": rev, "template": template, "created": created, "hash": pth,
                 "rs_name": f"{self.name}-{pth}", "rs_replicas": rs_replicas, "pods": [],
                 "rs_uid": self.g.uid("rs", self.ns, self.name, rev),
                 "rs_generation": rs_generation or (1 if rs_replicas else 2)}
        self.revisions.append(entry)
        return entry

    def rs_stub(self, entry):
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": entry["rs_name"], "uid": entry["rs_uid"]}}

    def add_pod(self, entry, *, node, ip, created, status, suffix_key=0, deletion=None):
        """status: dict with phase, conditions spec and containerStatuses (see pod_status)."""
        g = self.g
        name = f"{entry['rs_name']}-{g.suffix('pod', self.ns, entry['rs_name'], suffix_key)}"
        uid = g.uid("pod", self.ns, name)
        spec = copy.deepcopy(entry["template"]["spec"])
        vol = g.token_volume(self.ns, name)
        for c in spec["containers"]:
            c["volumeMounts"] = c.get("volumeMounts", []) + [{
                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "name": vol, "readOnly": True,
            }]
        spec["containers"] = [dict(sorted(c.items())) for c in spec["containers"]]
        spec.update({
            "enableServiceLinks": True,
            "nodeName": node,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": spec.get("priority", 0),
            "serviceAccount": spec.get("serviceAccountName", "default"),
            "serviceAccountName": spec.get("serviceAccountName", "default"),
            "tolerations": spec.get("tolerations", []) + [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                 "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                 "operator": "Exists", "tolerationSeconds": 300},
            ],
            "volumes": spec.get("volumes", []) + [token_volume(vol)],
        })
        labels = dict(entry["template"]["metadata"]["labels"])
        labels["pod-template-hash"] = entry["hash"]
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "creationTimestamp": iso(created),
                "generateName": entry["rs_name"] + "-",
                "labels": dict(sorted(labels.items())),
                "name": name,
                "namespace": self.ns,
                "ownerReferences": [ref_to(self.rs_stub(entry))],
                "resourceVersion": None,
                "uid": uid,
            },
            "spec": dict(sorted(spec.items())),
            "status": None,
        }
        if "annotations" in entry["template"]["metadata"]:
            pod["metadata"]["annotations"] = dict(entry["template"]["metadata"]["annotations"])
            pod["metadata"] = dict(sorted(pod["metadata"].items()))
        handle = PodHandle(self, entry, pod, node, ip, created, vol)
        pod["status"], last_write = pod_status(handle, status)
        pod["metadata"]["resourceVersion"] = g.rv(last_write)
        entry["pods"].append(handle)
        self.pods.append(handle)
        return handle

    def objects(self, *, deploy_status, deploy_generation=None):
        """Returns (deployment, [replicasets], [pods]). deploy_status holds the conditions."""
        g = self.g
        current = max(self.revisions, key=lambda e: e["rev"])
        gen = deploy_generation or len(self.revisions)
        deploy = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "annotations": {"deployment.kubernetes.io/revision": str(current["rev"])},
                "creationTimestamp": iso(self.created),
                "generation": gen,
                "labels": dict(sorted(self.deploy_labels.items())),
                "name": self.name,
                "namespace": self.ns,
                "resourceVersion": g.rv(deploy_status["last_write"]),
                "uid": self.uid,
            },
            "spec": {
                "progressDeadlineSeconds": self.progress_deadline,
                "replicas": self.replicas,
                "revisionHistoryLimit": self.revision_history,
                "selector": {"matchLabels": dict(sorted(self.labels.items()))},
                "strategy": self.strategy,
                "template": current["template"],
            },
            "status": deployment_status(self, deploy_status, gen),
        }
        replicasets = []
        max_surge = surge_of(self)
        for entry in sorted(self.revisions, key=lambda e: e["rev"]):
            replicasets.append(self._replicaset(entry, deploy, max_surge))
        pods = [h.pod for h in self.pods]
        return deploy, replicasets, pods

    def _replicaset(self, entry, deploy, max_surge):
        g = self.g
        labels = dict(entry["template"]["metadata"]["labels"])
        labels["pod-template-hash"] = entry["hash"]
        template = copy.deepcopy(entry["template"])
        template["metadata"]["labels"] = dict(sorted(labels.items()))
        pods = entry["pods"]
        ready = sum(1 for h in pods if h.ready)
        status = {"observedGeneration": entry["rs_generation"],
                  "replicas": len(pods)}
        if pods:
            status["fullyLabeledReplicas"] = len(pods)
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        last_write = max([entry["created"]] + [h.last_ready_change for h in pods])
        if not entry["rs_replicas"]:
            last_write = entry.get("scaled_down", last_write)
        return {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "annotations": {
                    "deployment.kubernetes.io/desired-replicas": str(self.replicas),
                    "deployment.kubernetes.io/max-replicas": str(self.replicas + max_surge),
                    "deployment.kubernetes.io/revision": str(entry["rev"]),
                },
                "creationTimestamp": iso(entry["created"]),
                "generation": status["observedGeneration"],
                "labels": dict(sorted(labels.items())),
                "name": entry["rs_name"],
                "namespace": self.ns,
                "ownerReferences": [ref_to(deploy)],
                "resourceVersion": g.rv(last_write),
                "uid": entry["rs_uid"],
            },
            "spec": {
                "replicas": entry["rs_replicas"],
                "selector": {"matchLabels": dict(sorted(labels.items()))},
                "template": template,
            },
            "status": dict(sorted(status.items())),
        }


def surge_of(w):
    if w.strategy["type"] == "Recreate":
        return 0
    surge = w.strategy.get("rollingUpdate", {}).get("maxSurge", "25%")
    if isinstance(surge, str) and surge.endswith("%"):
        return -(-w.replicas * int(surge[:-1]) // 100)
    return int(surge)


def token_volume(name):
    return {
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                            "path": "namespace"}]}},
            ],
        },
    }


def deployment_status(w, st, gen):
    """st: replicas, updated, ready, available, conditions=[(type,status,reason,message,lastUpdate,lastTransition)]."""
    status = {"observedGeneration": gen, "replicas": st["replicas"]}
    if st.get("updated"):
        status["updatedReplicas"] = st["updated"]
    if st.get("ready"):
        status["readyReplicas"] = st["ready"]
    if st.get("available"):
        status["availableReplicas"] = st["available"]
    unavailable = st["replicas"] - st.get("available", 0)
    if unavailable > 0:
        status["unavailableReplicas"] = unavailable
    status["conditions"] = [
        {"lastTransitionTime": iso(lt), "lastUpdateTime": iso(lu), "message": msg,
         "reason": reason, "status": s, "type": typ}
        for typ, s, reason, msg, lu, lt in st["conditions"]
    ]
    return dict(sorted(status.items()))


def available_true(since):
    return ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", since, since)


def available_false(since):
    return ("Available", "False", "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.", since, since)


def progressing_done(rs_name, since, updated):
    return ("Progressing", "True", "NewReplicaSetAvailable",
            f'ReplicaSet "{rs_name}" has successfully progressed.', updated, since)


def progressing_deadline(rs_name, since):
    return ("Progressing", "False", "ProgressDeadlineExceeded",
            f'ReplicaSet "{rs_name}" has timed out progressing.', since, since)


# --------------------------------------------------------------------------- pods and containers

class PodHandle:
    def __init__(self, workload, entry, pod, node, ip, created, vol):
        self.workload, self.entry, self.pod = workload, entry, pod
        self.node, self.ip, self.created, self.vol = node, ip, created, vol
        self.ready = False
        self.last_ready_change = created

    @property
    def name(self):
        return self.pod["metadata"]["name"]

    @property
    def uid(self):
        return self.pod["metadata"]["uid"]

    @property
    def ns(self):
        return self.pod["metadata"]["namespace"]

    def format_pod(self):
        """kubelet format.Pod: name_namespace(uid)."""
        return f"{self.name}_{self.ns}({self.uid})"


def normalized_image(image):
    """The image reference as containerd reports it in status.image."""
    name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "latest")
    first = name.split("/", 1)[0]
    if "." in first or ":" in first or first == "localhost":
        full = name
    elif "/" in name:
        full = "docker.io/" + name
    else:
        full = "docker.io/library/" + name
    return full, f"{full}:{tag}"


def container_id(g, *parts):
    return "containerd://" + g.hex(64, "cid", *parts)


def image_id(g, image):
    repo, _ = normalized_image(image)
    return f"{repo}@sha256:{g.hex(64, 'img', image)}"


def running(started_at):
    return {"running": {"startedAt": iso(started_at)}}


def terminated(g, key, *, exit_code, reason, started, finished, signal=None):
    t = {"containerID": container_id(g, *key), "exitCode": exit_code, "finishedAt": iso(finished),
         "reason": reason, "startedAt": iso(started)}
    if signal is not None:
        t["signal"] = signal
    return {"terminated": t}


def waiting(reason, message=None):
    w = {"reason": reason}
    if message is not None:
        w["message"] = message
    return {"waiting": w}


def pod_status(h, st):
    """Builds pod.status.

    st keys: phase, started (sandbox/startTime), containers: list of dicts with
      name, state, last (optional), ready, started, restarts, pulled (bool, default True),
      run (index of the current/last container instance, for its containerID),
    and ready_since / not_ready_since (the Ready condition's last transition).
    """
    g = h.workload.g
    spec_containers = {c["name"]: c for c in h.pod["spec"]["containers"]}
    statuses = []
    for cs in st["containers"]:
        c = spec_containers[cs["name"]]
        pulled = cs.get("pulled", True)
        s = {}
        if pulled:
            s["containerID"] = container_id(g, h.name, cs["name"], cs.get("run", 0))
        s["image"] = normalized_image(c["image"])[1] if pulled else c["image"]
        s["imageID"] = image_id(g, c["image"]) if pulled else ""
        s["lastState"] = cs.get("last", {})
        s["name"] = cs["name"]
        s["ready"] = cs["ready"]
        s["restartCount"] = cs.get("restarts", 0)
        s["started"] = cs.get("started", cs["ready"])
        s["state"] = cs["state"]
        if pulled:
            s["volumeMounts"] = [{
                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "name": h.vol, "readOnly": True, "recursiveReadOnly": "Disabled",
            }]
        statuses.append(s)
    all_ready = all(s["ready"] for s in statuses)
    h.ready = all_ready
    started = st.get("started", h.created + timedelta(seconds=1))
    scheduled = h.created
    sandbox = started + timedelta(seconds=2)
    ready_change = st.get("ready_since") if all_ready else st.get("not_ready_since")
    ready_change = ready_change or (started + timedelta(seconds=8))
    h.last_ready_change = ready_change
    unready = [s["name"] for s in statuses if not s["ready"]]

    def cond(typ, ok, when, reason=None, message=None):
        c = {"lastProbeTime": None, "lastTransitionTime": iso(when)}
        if message:
            c["message"] = message
        if reason:
            c["reason"] = reason
        c["status"] = "True" if ok else "False"
        c["type"] = typ
        return c

    msg = f"containers with unready status: [{' '.join(unready)}]" if unready else None
    conditions = [
        cond("PodReadyToStartContainers", True, sandbox),
        cond("Initialized", True, started),
        cond("Ready", all_ready, ready_change, None if all_ready else "ContainersNotReady", msg),
        cond("ContainersReady", all_ready, ready_change, None if all_ready else "ContainersNotReady", msg),
        cond("PodScheduled", True, scheduled),
    ]
    node_ip = NODES[h.node]["ip"]
    status = {
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": node_ip,
        "hostIPs": [{"ip": node_ip}],
        "phase": st["phase"],
        "podIP": h.ip,
        "podIPs": [{"ip": h.ip}],
        "qosClass": qos_class(h.pod["spec"]["containers"]),
        "startTime": iso(started),
    }
    last_write = max([ready_change, started] + [
        datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        for s in statuses for part in (s["state"], s["lastState"]) for inner in part.values()
        for k, v in inner.items() if k in ("startedAt", "finishedAt")
    ] + [st.get("last_write", started)])
    return status, last_write


def crashloop_message(h, container_name, backoff):
    return f"back-off {backoff} restarting failed container={container_name} pod={h.format_pod()}"


def backoff_text(seconds):
    seconds = min(seconds, 300)
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def restart_wait(n):
    """Seconds the kubelet waits before restart n (1-based): the first restart is
    immediate, then 10s, 20s, 40s … capped at 5m (kuberuntime doBackOff + flowcontrol.Backoff)."""
    return 1 if n == 1 else min(10 * 2 ** (n - 2), 300)


def crashloop_backoff(restart_count):
    """The back-off printed in the CrashLoopBackOff message of a container that has
    restarted `restart_count` times and has just exited again."""
    return backoff_text(min(10 * 2 ** (restart_count - 1), 300))


def crash_timeline(restarts, run_seconds, *, last_finish=None, first_start=None, first_run=None):
    """Instances (start, finish) of a crash-looping container, oldest first.

    Anchored either on the last instance's finish or on the first instance's start.
    `first_run` overrides how long the first instance ran (a container that worked for
    days before its first crash); it only applies when anchored on `last_finish`.
    """
    run = timedelta(seconds=run_seconds)
    runs = []
    if last_finish is not None:
        finish = last_finish
        for i in range(restarts + 1, 0, -1):
            start = finish - (first_run if (i == 1 and first_run) else run)
            runs.append((start, finish))
            finish = start - timedelta(seconds=restart_wait(i - 1)) if i > 1 else None
        runs.reverse()
    else:
        start = first_start
        for i in range(1, restarts + 2):
            runs.append((start, start + run))
            start = start + run + timedelta(seconds=restart_wait(i))
    return runs


# --------------------------------------------------------------------------- common pod stories

def healthy_pod(w, entry, *, node, ip, created, key=0, restarts=0, last=None):
    started = created + timedelta(seconds=1)
    c = entry["template"]["spec"]["containers"][0]["name"]
    return w.add_pod(entry, node=node, ip=ip, created=created, suffix_key=key, status={
        "phase": "Running",
        "started": started,
        "ready_since": started + timedelta(seconds=9),
        "containers": [{"name": c, "state": running(started + timedelta(seconds=3)),
                        "ready": True, "restarts": restarts, "last": last or {}}],
    })


def crashlooping(w, entry, runs, *, node, ip, created, key, cname, exit_code, reason, run_key):
    restarts = len(runs) - 1
    start, finish = runs[-1]
    h = w.add_pod(entry, node=node, ip=ip, created=created, suffix_key=key, status={
        "phase": "Running",
        "started": created + timedelta(seconds=1),
        "not_ready_since": finish,
        "containers": [{
            "name": cname, "ready": False, "started": False, "restarts": restarts, "run": restarts,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "__BACKOFF__"}},
            "last": terminated(w.g, (run_key, cname, restarts), exit_code=exit_code, reason=reason,
                                 started=start, finished=finish),
        }],
    })
    cs = h.pod["status"]["containerStatuses"][0]
    cs["state"]["waiting"]["message"] = crashloop_message(h, cname, crashloop_backoff(restarts))
    # The waiting container still reports the last instance's ID.
    cs["lastState"]["terminated"]["containerID"] = cs["containerID"]
    return h


def restart_events(h, cname, image, runs, *, pulled_first=True, pull_seconds=None, image_size=58437120):
    """Pulled/Created/Started for every container instance since the pod started, plus
    the BackOff warnings of the waits between them. `runs` are (start, finish) pairs; a
    last pair with finish None is the instance running at T, otherwise the container
    is waiting in CrashLoopBackOff at T."""
    out = []
    first = runs[0][0]
    later = runs[1:]
    if pulled_first:
        out.append(kubelet_event(h, cname, reason="Pulling", type_="Normal", message=f'Pulling image "{image}"',
                                 first=first - timedelta(seconds=4)))
        out.append(kubelet_event(
            h, cname, reason="Pulled", type_="Normal", first=first - timedelta(seconds=1),
            message=f'Successfully pulled image "{image}" in {pull_seconds} ({pull_seconds} including waiting). '
                    f"Image size: {image_size} bytes."))
    if later:
        out.append(kubelet_event(h, cname, reason="Pulled", type_="Normal",
                                 message=f'Container image "{image}" already present on machine',
                                 first=later[0][0], last=later[-1][0], count=len(later)))
    counted = runs if pulled_first else later
    out.append(kubelet_event(h, cname, reason="Created", type_="Normal", message=f"Created container: {cname}",
                             first=counted[0][0], last=counted[-1][0], count=len(counted)))
    out.append(kubelet_event(h, cname, reason="Started", type_="Normal", message=f"Started container {cname}",
                             first=counted[0][0], last=counted[-1][0], count=len(counted)))
    # Restart 1 is immediate; BackOff is re-reported on each pod sync (about every 10 s)
    # while the container waits before restarts 2, 3, … and at T if it is waiting now.
    waits = [(runs[i][1], runs[i + 1][0]) for i in range(1, len(runs) - 1)]
    if runs[-1][1] is not None:
        waits.append((runs[-1][1], T))
    if waits:
        count = sum(max(1, int((b - a).total_seconds() // 10)) for a, b in waits)
        out.append(kubelet_event(h, cname, reason="BackOff", type_="Warning",
                                 message=f"Back-off restarting failed container {cname} in pod {h.format_pod()}",
                                 first=waits[0][0] + timedelta(seconds=1),
                                 last=waits[-1][1] - timedelta(seconds=6), count=count))
    return out


def recovered_pod(w, entry, runs, *, node, ip, created, key, cname, exit_code, reason):
    """A pod whose container crashed (`runs` = the finished instances) and now runs again
    since the last restart, ready."""
    restarts = len(runs)
    start = runs[-1][1] + timedelta(seconds=restart_wait(restarts))
    h = w.add_pod(entry, node=node, ip=ip, created=created, suffix_key=key, status={
        "phase": "Running",
        "started": created + timedelta(seconds=1),
        "ready_since": start + timedelta(seconds=8),
        "containers": [{
            "name": cname, "ready": True, "started": True, "restarts": restarts, "run": restarts,
            "state": running(start),
            "last": terminated(w.g, (w.name, cname, restarts - 1), exit_code=exit_code, reason=reason,
                               started=runs[-1][0], finished=runs[-1][1]),
        }],
    })
    h.pod["status"]["containerStatuses"][0]["lastState"]["terminated"]["containerID"] = \
        container_id(w.g, h.name, cname, restarts - 1)
    return h, runs + [(start, None)]


# --------------------------------------------------------------------------- services

def service(g, ns, name, *, created, ports, selector, labels=None, cluster_ip, last_write=None):
    meta = {"creationTimestamp": iso(created)}
    if labels:
        meta["labels"] = dict(sorted(labels.items()))
    meta.update({"name": name, "namespace": ns, "resourceVersion": g.rv(last_write or created),
                 "uid": g.uid("svc", ns, name)})
    spec = {
        "clusterIP": cluster_ip,
        "clusterIPs": [cluster_ip],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"name": pname, "port": port, "protocol": proto, "targetPort": target}
                  for pname, port, target, proto in
                  (p if len(p) == 4 else (p[0], p[1], p[2], "TCP") for p in ports)],
        "selector": dict(sorted(selector.items())) if selector is not None else None,
        "sessionAffinity": "None",
        "type": "ClusterIP",
    }
    if selector is None:
        del spec["selector"]
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
            "status": {"loadBalancer": {}}}


def endpoints(g, svc, *, pods, ports, last_change, ready_pods=None):
    """Endpoints as the endpoints controller writes them; no `subsets` when nothing matches."""
    meta = {"annotations": {"endpoints.kubernetes.io/last-change-trigger-time": iso(last_change)},
            "creationTimestamp": svc["metadata"]["creationTimestamp"]}
    if "labels" in svc["metadata"]:
        meta["labels"] = dict(svc["metadata"]["labels"])
    meta.update({"name": svc["metadata"]["name"], "namespace": svc["metadata"]["namespace"],
                 "resourceVersion": g.rv(last_change), "uid": g.uid("ep", svc["metadata"]["namespace"],
                                                                   svc["metadata"]["name"])})
    obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta}

    def addr(h):
        return {"ip": h.ip, "nodeName": h.node,
                "targetRef": {"kind": "Pod", "name": h.name, "namespace": h.ns, "uid": h.uid}}

    if pods:
        ready = [h for h in pods if (h.ready if ready_pods is None else h in ready_pods)]
        not_ready = [h for h in pods if h not in ready]
        subset = {}
        if ready:
            subset["addresses"] = [addr(h) for h in sorted(ready, key=lambda h: h.ip)]
        if not_ready:
            subset["notReadyAddresses"] = [addr(h) for h in sorted(not_ready, key=lambda h: h.ip)]
        subset["ports"] = [{"name": n, "port": p, "protocol": proto} if n else {"port": p, "protocol": proto}
                           for n, p, proto in (x if len(x) == 3 else (x[0], x[1], "TCP") for x in ports)]
        obj["subsets"] = [subset]
    return obj


# --------------------------------------------------------------------------- events

def event(g, obj, *, reason, message, type_, first, last=None, count=1, field_path=None,
          component="kubelet", host=None):
    """A core/v1 Event as client-go's recorder writes it (eventTime null)."""
    last = last or first
    meta_obj = obj["metadata"]
    name = f"{meta_obj['name']}.{int(first.timestamp() * 1e9) + int(g.hex(6, 'evns', meta_obj['name'], reason, message), 16) % 10**9:x}"
    involved = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": meta_obj["name"],
                "namespace": meta_obj["namespace"], "resourceVersion": meta_obj["resourceVersion"],
                "uid": meta_obj["uid"]}
    if field_path:
        involved["fieldPath"] = field_path
    source = {"component": component}
    if host:
        source["host"] = host
    return {
        "apiVersion": "v1",
        "count": count,
        "eventTime": None,
        "firstTimestamp": iso(first),
        "involvedObject": dict(sorted(involved.items())),
        "kind": "Event",
        "lastTimestamp": iso(last),
        "message": message,
        "metadata": {"creationTimestamp": iso(first), "name": name, "namespace": meta_obj["namespace"],
                     "resourceVersion": g.rv(last), "uid": g.uid("ev", name)},
        "reason": reason,
        "reportingComponent": component,
        "reportingInstance": host or "",
        "source": source,
        "type": type_,
    }


def kubelet_event(h, container_name, **kw):
    return event(h.workload.g, h.pod, field_path=f"spec.containers{{{container_name}}}",
                 host=h.node, **kw)


def scheduled_event(h, when):
    """The scheduler reports through events.k8s.io/v1: seen via core/v1 with eventTime set
    and no firstTimestamp/lastTimestamp/count."""
    g = h.workload.g
    name = f"{h.name}.{int(when.timestamp() * 1e9) + 123_456_789:x}"
    micro = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(g.hex(5, 'micro', h.name), 16) % 1_000_000:06d}Z"
    return {
        "action": "Binding",
        "apiVersion": "v1",
        "eventTime": micro,
        "firstTimestamp": None,
        "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": h.name, "namespace": h.ns,
                           "resourceVersion": g.rv(when), "uid": h.uid},
        "kind": "Event",
        "lastTimestamp": None,
        "message": f"Successfully assigned {h.ns}/{h.name} to {h.node}",
        "metadata": {"creationTimestamp": iso(when), "name": name, "namespace": h.ns,
                     "resourceVersion": g.rv(when), "uid": g.uid("ev", name)},
        "reason": "Scheduled",
        "reportingComponent": "default-scheduler",
        "reportingInstance": "default-scheduler-k8s-control-plane",
        "source": {},
        "type": "Normal",
    }


def scaling_event(w, deploy, rs_name, old, new, when):
    verb = "up" if new > old else "down"
    return event(w.g, deploy, reason="ScalingReplicaSet", type_="Normal", first=when,
                 message=f"Scaled {verb} replica set {rs_name} from {old} to {new}",
                 component="deployment-controller")


def rs_created_pod_event(w, rs, pod_name, when):
    return event(w.g, rs, reason="SuccessfulCreate", type_="Normal", first=when,
                 message=f"Created pod: {pod_name}", component="replicaset-controller")


def rs_deleted_pod_event(w, rs, pod_name, when):
    return event(w.g, rs, reason="SuccessfulDelete", type_="Normal", first=when,
                 message=f"Deleted pod: {pod_name}", component="replicaset-controller")


# --------------------------------------------------------------------------- output

KIND_ORDER = ["Namespace", "Pod", "Deployment", "ReplicaSet", "Service", "Endpoints", "Event"]


def as_list(items):
    """`kubectl get namespaces,pods,deployments,replicasets,services,endpoints,events -o json`."""
    def key(o):
        return (KIND_ORDER.index(o["kind"]), o["metadata"].get("namespace", ""), o["metadata"]["name"])
    return {"apiVersion": "v1", "items": sorted(items, key=key), "kind": "List",
            "metadata": {"resourceVersion": ""}}


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=4, sort_keys=True)
        f.write("\n")
