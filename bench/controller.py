#!/usr/bin/env python3
"""The two halves of bench/controller.sh that talk to KubeSim and read the logs.

    controller.py drive --server URL --cluster FILE --faults 20 --spacing 6 --churn 20 --out FILE
        writes to KubeSim at a steady rate (pod status changes, scale events, Events) and, from
        the fifth second, breaks one Service's selector every SPACING seconds; records when each
        fault was sent (JSON lines) and stops after the last fault plus a settling time.

    controller.py report --faults FILE --medic-log FILE --watch-log FILE --requests FILE
                         --medic-pid-stats FILE --steady-from T --steady-to T
        prints the figures, the four issue lines last.

Only the standard library: the benchmark runs where the tests run.
"""

import argparse
import json
import random
import statistics
import sys
import time
import urllib.request

CHURN_CONDITION = "bench.medic.io/Churn"


def request(server, method, path, body=None, content_type="application/merge-patch+json"):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server + path, data=data, method=method,
                                 headers={"Content-Type": content_type, "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.load(response)


def drive(args):
    with open(args.cluster) as file:
        items = json.load(file)["items"]
    pods = [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in items if i["kind"] == "Pod"]
    deployments = [(i["metadata"]["namespace"], i["metadata"]["name"], i["spec"]["replicas"])
                   for i in items if i["kind"] == "Deployment"]
    # Services that select pods today, so breaking the selector is a new fault medic must see.
    selected = {(i["metadata"]["namespace"], i["metadata"]["name"]) for i in items
                if i["kind"] == "Endpoints" and any(s.get("addresses") for s in i.get("subsets") or [])}
    services = sorted((i["metadata"]["namespace"], i["metadata"]["name"], i["spec"]["selector"]["app"])
                      for i in items if i["kind"] == "Service" and (i["metadata"]["namespace"], i["metadata"]["name"]) in selected)
    rng = random.Random(7)
    targets = rng.sample(services, args.faults)
    out = open(args.out, "w")
    start = time.time()
    fault_times = [start + 5 + index * args.spacing for index in range(args.faults)]
    end = fault_times[-1] + args.settle
    scaled = []
    tick = 1.0 / args.churn
    next_write = start
    written = 0
    errors = 0
    while time.time() < end:
        now = time.time()
        if fault_times and now >= fault_times[0]:
            fault_times.pop(0)
            ns, name, app = targets[args.faults - len(fault_times) - 1]
            sent = time.time()
            request(args.server, "PATCH", f"/api/v1/namespaces/{ns}/services/{name}",
                    {"spec": {"selector": {"app": app + "x"}}})
            out.write(json.dumps({"kind": "Service", "namespace": ns, "name": name, "sent": sent,
                                  "answered": time.time()}) + "\n")
            out.flush()
            continue
        if now < next_write:
            time.sleep(min(next_write - now, 0.05))
            continue
        next_write += tick
        written += 1
        try:
            choice = written % 10
            if choice < 6:  # a pod status change no runbook reads
                ns, name = rng.choice(pods)
                condition = {"type": CHURN_CONDITION, "status": rng.choice(["True", "False"]),
                             "lastTransitionTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                request(args.server, "PATCH", f"/api/v1/namespaces/{ns}/pods/{name}/status",
                        {"status": {"conditions": [condition]}}, "application/strategic-merge-patch+json")
            elif choice == 6:  # a scale event, undone by the next one
                if scaled:
                    ns, name, replicas = scaled.pop()
                else:
                    ns, name, replicas = rng.choice(deployments)
                    scaled.append((ns, name, replicas))
                    replicas += 1
                request(args.server, "PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/{name}",
                        {"spec": {"replicas": replicas}})
            else:  # an Event about a pod
                ns, name = rng.choice(pods)
                stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                request(args.server, "POST", f"/api/v1/namespaces/{ns}/events", {
                    "apiVersion": "v1", "kind": "Event",
                    "metadata": {"name": f"{name}.bench{written:08d}", "namespace": ns},
                    "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": name, "namespace": ns},
                    "reason": "BenchChurn", "message": "churn for the controller benchmark", "type": "Normal",
                    "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1,
                    "source": {"component": "bench"}})
        except OSError as error:
            errors += 1
            if errors <= 3:
                print(f"churn write failed: {error}", file=sys.stderr)
    out.close()
    elapsed = time.time() - start
    print(f"churn: {written} writes in {elapsed:.0f} s ({written / elapsed:.1f}/s), {errors} failed", file=sys.stderr)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def report(args):
    faults = [json.loads(line) for line in open(args.faults) if line.strip()]
    first_seen = {}
    for line in open(args.medic_log, errors="replace"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("message") != "finding":
            continue
        target = record.get("target", "")
        stamp = time.mktime(time.strptime(record["time"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        stamp += float("0." + record["time"][20:-1]) if "." in record["time"] else 0
        first_seen.setdefault(target, []).append(stamp)
    watched = {}
    for line in open(args.watch_log, errors="replace"):
        parts = line.split(None, 4)
        # "<unix time> MODIFIED <namespace> <name> ..." from the timestamped kubectl watch.
        if len(parts) >= 4 and parts[1] == "MODIFIED":
            watched.setdefault((parts[2], parts[3]), []).append(float(parts[0]))
    detections, floors, missed = [], [], []
    for fault in faults:
        target = f"Service {fault['namespace']}/{fault['name']}"
        seen = [t for t in first_seen.get(target, []) if t >= fault["sent"]]
        if seen:
            detections.append(min(seen) - fault["sent"])
        else:
            missed.append(target)
        floor = [t for t in watched.get((fault["namespace"], fault["name"]), []) if t >= fault["sent"]]
        if floor:
            floors.append(min(floor) - fault["sent"])
    requests = [json.loads(line) for line in open(args.requests) if line.strip()]
    steady = [r for r in requests if (r.get("userAgent") or "").startswith("medic")
              and args.steady_from <= r["time"] <= args.steady_to]
    minutes = (args.steady_to - args.steady_from) / 60
    verbs = {}
    for r in steady:
        query = r.get("query") or ""
        verb = r["method"]
        if verb == "GET":
            verb = "WATCH" if "watch=1" in query or "watch=true" in query else (
                "LIST" if is_collection(r["path"]) else "GET")
        verbs[verb] = verbs.get(verb, 0) + 1
    with open(args.medic_pid_stats) as file:
        stats = json.load(file)
    cpu = 100 * stats["cpu_seconds"] / stats["wall_seconds"]
    print(f"faults: {len(faults)} injected, {len(detections)} detected"
          + (f", missed: {', '.join(missed)}" if missed else ""))
    print("medic requests per minute in steady state (%.1f min): %s" % (
        minutes, ", ".join(f"{v} {n / minutes:.1f}" for v, n in sorted(verbs.items())) or "none"))
    if detections:
        print("detection p50 %.2f s p99 %.2f s max %.2f s" % (
            statistics.median(detections), percentile(detections, 0.99), max(detections)))
    else:
        print("detection p50 - s p99 - s max - s (nothing detected)")
    print("steady-state LIST requests per minute %.1f" % (verbs.get("LIST", 0) / minutes))
    print("medic cpu %.1f %% rss %d MB" % (cpu, stats["peak_rss_kib"] / 1024))
    print("watch floor p99 %.2f s" % percentile(floors, 0.99) if floors else "watch floor p99 - s")


def is_collection(path):
    """A LIST path: /api/v1/pods, /api/v1/namespaces/ns/pods, /apis/g/v/deployments,
    /apis/g/v/namespaces/ns/deployments; not a named object, a subresource or a namespace."""
    parts = [p for p in path.split("/") if p]
    rest = parts[2:] if parts[:1] == ["api"] else parts[3:]
    if rest[:1] == ["namespaces"] and len(rest) >= 3:
        rest = rest[2:]
    return len(rest) == 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("drive")
    d.add_argument("--server", required=True)
    d.add_argument("--cluster", required=True)
    d.add_argument("--faults", type=int, default=20)
    d.add_argument("--spacing", type=float, default=6)
    d.add_argument("--churn", type=float, default=20, help="writes per second")
    d.add_argument("--settle", type=float, default=20, help="seconds after the last fault")
    d.add_argument("--out", required=True)
    r = sub.add_parser("report")
    r.add_argument("--faults", required=True)
    r.add_argument("--medic-log", required=True)
    r.add_argument("--watch-log", required=True)
    r.add_argument("--requests", required=True)
    r.add_argument("--medic-pid-stats", required=True)
    r.add_argument("--steady-from", type=float, required=True)
    r.add_argument("--steady-to", type=float, required=True)
    args = parser.parse_args()
    {"drive": drive, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
