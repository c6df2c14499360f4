#!/usr/bin/env python3
"""Writes metrics.om: two hours of CloudMart application metrics ending at
T = 2026-11-20T03:00:00Z, one sample every 30 s, as OpenMetrics text for
`promtool tsdb create-blocks-from openmetrics`.

Deterministic (seeded noise), and it takes the pod names from snapshot.json so the
`pod` labels join with the Kubernetes objects. The story it tells:

- order-service leaks database connections: db_connections_active climbs from ~8
  (when the database restarted with the chaos flag, 65 min before T) to its pool size
  of 20 by T-25m and stays at 19-20; its 5xx rate rises sharply over the last 25 min
  while total traffic stays flat.
- database-service answers ~50% of requests with 500 since the chaos flag went on
  (65 min before T); its own connection usage is a healthy ~30%.
- Every other service: flat traffic, few errors.

The functions here are reused by scripts/fixtures/gen_fixtures.py for the
pool-exhaustion fixtures.
"""

import json
import os
import random
from datetime import datetime, timezone

T = int(datetime(2026, 11, 20, 3, 0, 0, tzinfo=timezone.utc).timestamp())
STEP = 30
START = T - 2 * 3600
TIMES = list(range(START, T + 1, STEP))
NS = "production"


def minutes_before_t(ts):
    return (T - ts) / 60


def ramp(ts, *, start_min, end_min, low, high):
    """Linear from `low` at T-start_min to `high` at T-end_min, flat outside."""
    m = minutes_before_t(ts)
    if m >= start_min:
        return low
    if m <= end_min:
        return high
    return low + (high - low) * (start_min - m) / (start_min - end_min)


class Family:
    def __init__(self, name, kind, help_text, unit=None):
        self.name, self.kind, self.help, self.unit = name, kind, help_text, unit
        self.series = []   # (labels dict, [(ts, value)])

    def add(self, labels, points):
        self.series.append((labels, points))


def label_text(labels):
    return ",".join(f'{k}={json.dumps(v)}' for k, v in labels.items())


def fmt(value):
    return str(int(value)) if float(value).is_integer() else repr(round(value, 6))


def render(families):
    """OpenMetrics text: each family contiguous, each series' samples in time order."""
    lines = []
    for fam in families:
        lines.append(f"# HELP {fam.name} {fam.help}")
        lines.append(f"# TYPE {fam.name} {fam.kind}")
        sample = fam.name + "_total" if fam.kind == "counter" else fam.name
        for labels, points in fam.series:
            for ts, value in points:
                lines.append(f"{sample}{{{label_text(labels)}}} {fmt(value)} {ts}")
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def gauge_points(rng, fn, *, jitter, lo, hi, times=TIMES):
    """Integer gauge values: fn(ts) plus uniform jitter, clamped to [lo, hi]."""
    return [(ts, max(lo, min(hi, round(fn(ts) + rng.uniform(-jitter, jitter))))) for ts in times]


def counter_points(rng, rate_fn, *, start, noise=0.08, times=TIMES):
    """A monotonically increasing counter whose per-second increase follows rate_fn(ts)."""
    total, points = float(start), []
    for i, ts in enumerate(times):
        if i:
            rate = max(0.0, rate_fn(ts) * (1 + rng.uniform(-noise, noise)))
            total += rate * STEP
        points.append((ts, int(total)))
    return points


def pool_families(rng, *, service, pod_segments, max_conns, active_fn, jitter=0.6, times=TIMES):
    """db_connections_active / db_connections_max for one service.

    pod_segments: [(pod name, first ts, last ts)], for a pod replaced during the window.
    """
    active = Family("db_connections_active", "gauge", "Connections checked out of the database pool.")
    maximum = Family("db_connections_max", "gauge", "Size of the database connection pool.")
    for pod, first, last in pod_segments:
        seg = [ts for ts in times if first <= ts <= last]
        labels = {"namespace": NS, "service": service, "pod": pod}
        active.add(labels, gauge_points(rng, active_fn, jitter=jitter, lo=0, hi=max_conns, times=seg))
        maximum.add(labels, [(ts, max_conns) for ts in seg])
    return active, maximum


def http_family(rng, services, times=TIMES):
    """services: {name: (rate_200_fn, rate_500_fn, rate_503_fn)} in requests/second."""
    fam = Family("http_requests", "counter", "HTTP requests served, by status code.")
    for name, fns in services.items():
        for status, fn in zip(("200", "500", "503"), fns):
            start = int(rng.uniform(2e6, 9e6) * (fn(times[0]) + 0.01) / 50)
            fam.add({"namespace": NS, "service": name, "status": status},
                    counter_points(rng, fn, start=start, times=times))
    return fam


def merge(*families):
    """Joins families that share a name (e.g. two services' pool gauges)."""
    by_name = {}
    for fam in families:
        if fam.name in by_name:
            by_name[fam.name].series.extend(fam.series)
        else:
            by_name[fam.name] = fam
    return list(by_name.values())


def flat(value):
    return lambda ts: value


def cloudmart(snapshot):
    rng = random.Random(20261120)
    pods = {p["metadata"]["labels"]["app"]: p["metadata"]["name"]
            for p in snapshot["items"] if p["kind"] == "Pod" and p["metadata"]["namespace"] == NS
            and p["status"]["phase"] == "Running"}
    old_db_rs = [r["metadata"]["name"] for r in snapshot["items"]
                 if r["kind"] == "ReplicaSet" and r["metadata"]["name"].startswith("database-service-")
                 and r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"][0]
    old_db_pod = old_db_rs + "-q7wzx"   # deleted when revision 2 rolled out
    db_switch = T - 65 * 60

    order_active, order_max = pool_families(
        rng, service="order-service", pod_segments=[(pods["order-service"], START, T)], max_conns=20,
        active_fn=lambda ts: ramp(ts, start_min=65, end_min=25, low=8, high=20) + (0.4 if minutes_before_t(ts) < 25 else 0))
    db_active, db_max = pool_families(
        rng, service="database-service", max_conns=100, jitter=3,
        pod_segments=[(old_db_pod, START, db_switch - STEP), (pods["database-service"], db_switch + 60, T)],
        active_fn=flat(30))

    def order_errors(peak):
        return lambda ts: ramp(ts, start_min=25, end_min=0, low=0.02, high=peak)

    chaos_on = lambda ts: ts >= db_switch + 60  # noqa: E731
    services = {
        "gateway": (flat(118.0), flat(0.05), flat(0.02)),
        "api-service": (flat(94.0), flat(0.08), flat(0.01)),
        "auth-service": (flat(39.0), flat(0.03), flat(0.01)),
        "order-service": (lambda ts: 25.0 - order_errors(7.0)(ts) - order_errors(2.0)(ts),
                          order_errors(7.0), order_errors(2.0)),
        "database-service": (lambda ts: 30.0 if chaos_on(ts) else 59.9,
                             lambda ts: 30.0 if chaos_on(ts) else 0.05, flat(0.01)),
        "notification-service": (flat(7.5), flat(0.01), flat(0.005)),
    }
    return merge(order_active, db_active) + merge(order_max, db_max) + [http_family(rng, services)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "snapshot.json")) as f:
        snapshot = json.load(f)
    with open(os.path.join(here, "metrics.om"), "w") as f:
        f.write(render(cloudmart(snapshot)))


if __name__ == "__main__":
    main()
