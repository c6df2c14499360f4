#!/usr/bin/env python3
"""The measuring and reporting half of scripts/demo.sh.

  demo_report.py entry URL                      → NAMESPACE SERVICE PORT PATH of a scenario load URL
  demo_report.py measure --prometheus URL --entry ENTRY --window 5m
                                                → JSON: error rate, p95, request rate at the entry Service
  demo_report.py recovered --audit FILE --advise FILE
                                                → exit 0 when nothing is found any more and every action
                                                  medic took was verified
  demo_report.py requests --kubesim URL --entry ENTRY --method POST --count 20
                                                → JSON: each request through the apiserver service proxy
  demo_report.py summary …                      → the summary for a human, and optionally as JSON
"""
import argparse
import calendar
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def entry(args):
    url = urllib.parse.urlsplit(args.url)
    host = url.hostname or ""
    service, _, namespace = host.partition(".")
    namespace = namespace.split(".")[0] or "default"
    print(namespace, service, url.port or "-", url.path or "/")


def parse_entry(text):
    namespace, service, port, path = text.split(" ", 3)
    return namespace, service, None if port == "-" else port, path


def query(prometheus, promql):
    url = prometheus + "/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=10) as response:
        result = json.load(response)["data"]["result"]
    if not result:
        return None
    value = float(result[0]["value"][1])
    return None if value != value else value  # NaN: no requests in the window


def measure(args):
    namespace, service, _, _ = parse_entry(args.entry)
    selector = f'namespace="{namespace}",service="{service}"'
    window = args.window
    requests = f"sum(rate(http_requests_total{{{selector}}}[{window}]))"
    errors = f'sum(rate(http_requests_total{{{selector},status=~"5.."}}[{window}])) or vector(0)'
    p95 = f"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{{{selector}}}[{window}])))"
    rate = query(args.prometheus, requests)
    failing = query(args.prometheus, errors)
    json.dump({
        "window": window,
        "requestRate": rate,
        "errorRate": None if not rate else (failing or 0) / rate,
        "p95Seconds": query(args.prometheus, p95),
    }, sys.stdout)


def audit_records(path):
    try:
        with open(path) as file:
            return [json.loads(line) for line in file if line.strip()]
    except FileNotFoundError:
        return []


def actions(records):
    """Every action medic sent in apply mode: its intent, outcome and verification."""
    by_id = {}
    for record in records:
        payload = record.get("payload", {})
        action = record.get("action")
        if record["type"] == "intent" and payload.get("mode") == "apply":
            by_id[action] = {"id": action, "target": record["target"], "type": payload.get("actionType"),
                             "command": payload.get("command"), "started": record["time"]}
        elif action in by_id and record["type"] == "outcome":
            by_id[action]["status"] = payload.get("status")
        elif action in by_id and record["type"] == "verification":
            by_id[action]["verified"] = payload.get("passed")
            by_id[action]["verifiedAt"] = record["time"]
            by_id[action]["verification"] = payload.get("detail")
    return list(by_id.values())


def recovered(args):
    try:
        with open(args.advise) as file:
            findings = json.load(file).get("findings", [])
    except (OSError, ValueError):
        return 1
    records = audit_records(args.audit)
    taken = actions(records)
    escalated = any(r["type"] == "decision" and r.get("payload", {}).get("verdict") == "needs-human" for r in records)
    settled = all(a.get("verified") is True for a in taken)
    return 0 if not findings and taken and settled and not escalated else 1


def requests(args):
    namespace, service, port, path = parse_entry(args.entry)
    target = service + (f":{port}" if port else "")
    url = f"{args.kubesim}/api/v1/namespaces/{namespace}/services/{target}/proxy{path}"
    results = []
    for index in range(args.count):
        body = json.dumps({"order": index + 1, "items": [{"sku": "sock-blue", "quantity": 1}]}).encode()
        request = urllib.request.Request(url, data=body if args.method in ("POST", "PUT") else None, method=args.method,
                                         headers={"Content-Type": "application/json"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        results.append({"status": status, "seconds": round(time.monotonic() - started, 4)})
    json.dump({"url": url, "method": args.method, "results": results}, sys.stdout)


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def percent(value):
    return "n/a (no requests)" if value is None else f"{value * 100:.1f}%"


def seconds(value):
    return "n/a (no requests)" if value is None else f"{value:.3f} s"


def pod_health(pods, now):
    """Pods as the e2e test judges them: Running, ready, and no restart in the last minute."""
    result = []
    for pod in pods.get("items", []):
        statuses = pod.get("status", {}).get("containerStatuses", [])
        last_restart = None
        for status in statuses:
            finished = status.get("lastState", {}).get("terminated", {}).get("finishedAt")
            if finished:
                stamp = calendar.timegm(time.strptime(finished, "%Y-%m-%dT%H:%M:%SZ"))
                last_restart = stamp if last_restart is None else max(last_restart, stamp)
        result.append({
            "namespace": pod["metadata"]["namespace"], "name": pod["metadata"]["name"],
            "phase": pod.get("status", {}).get("phase"),
            "ready": bool(statuses) and all(s.get("ready") for s in statuses),
            "restarts": sum(s.get("restartCount", 0) for s in statuses),
            "restartedInLastMinute": last_restart is not None and now - last_restart < 60,
        })
    return result


def summary(args):
    with open(args.advise) as file:
        advice = json.load(file)
    findings = advice.get("findings", [])
    taken = actions(audit_records(args.audit))
    with open(args.before) as file:
        before = json.load(file)
    with open(args.after) as file:
        after = json.load(file)
    with open(args.requests) as file:
        sent = json.load(file)
    with open(args.pods) as file:
        pods = pod_health(json.load(file), time.time())
    ok = [r for r in sent["results"] if 200 <= r["status"] < 300]
    noun = "orders" if "order" in sent["url"] else "requests"
    p95 = percentile([r["seconds"] for r in sent["results"]], 0.95)
    recovered = args.recovered == "true"
    unhealthy = [p for p in pods if p["phase"] != "Running" or not p["ready"] or p["restartedInLastMinute"]]

    out = []
    advice_only = (not recovered and not taken and findings
                   and all(a["type"] == "notify" for f in findings for a in f.get("actions", [])))
    verdict = (f"{args.scenario} recovered in {args.recovery_seconds:.0f} s" if recovered
               else f"{args.scenario}: every finding is for a human, medic changed nothing" if advice_only
               else f"{args.scenario} did NOT recover within the time allowed")
    out.append(f"\n== {verdict}: {len(findings)} findings, {len(taken)} actions, "
               f"{sum(1 for a in taken if a.get('verified'))} verified ==\n")
    causes = sum(1 for f in findings if not f.get("causedBy"))
    out.append(f"Findings (medic advise, before): {causes} root cause{'' if causes == 1 else 's'}, "
               "each with the symptoms it explains")
    for finding in findings:
        target = finding["target"]
        caused = finding.get("causedBy") or []
        kinds = ("symptom of " + ", ".join(c.split("/")[0] + " on " + c.split("/")[-1] for c in caused) if caused
                 else ", ".join(a["type"] for a in finding.get("actions", [])))
        indent = "    " if caused else "  "
        out.append(f"{indent}{finding['runbook']:<26} {target['kind']}/{target['namespace']}/{target['name']:<22} → {kinds}")
        out.append(f"{indent}{'':<26} {finding['summary']}")
    out.append("\nActions (medic run, from the audit log):")
    for action in taken:
        state = "verified" if action.get("verified") else ("verification failed" if action.get("verified") is False else "not verified")
        out.append(f"  {action['started'][11:19]}  {action['command']}")
        out.append(f"            HTTP {action.get('status')}, {state}")
    out.append("")
    out.append(f"{'':<22}{'before':>20}{'after':>20}")
    out.append(f"{'error rate':<22}{percent(before['errorRate']):>20}{percent(after['errorRate']):>20}")
    out.append(f"{'p95 latency':<22}{seconds(before['p95Seconds']):>20}{seconds(after['p95Seconds']):>20}")
    out.append(f"(at the entry Service, over the {before['window']} before medic started and the {after['window']} after recovery)")
    if not advice_only:
        out.append(f"\ntime to recovery: {args.recovery_seconds:.0f} s (medic run start → every finding fixed and verified)")
    out.append(f"pods: {len(pods) - len(unhealthy)}/{len(pods)} Running and ready, none restarted in the last minute"
               if not unhealthy else
               f"pods: {len(unhealthy)} of {len(pods)} not Running, not ready or restarted in the last minute: "
               + ", ".join(f"{p['namespace']}/{p['name']}" for p in unhealthy))
    out.append(f"audit log: {args.audit}   (medic audit show {args.audit}; medic audit verify {args.audit})")
    remediations = []
    if args.remediations:
        with open(args.remediations) as file:
            remediations = [{"name": r["metadata"]["name"], "namespace": r["metadata"]["namespace"],
                             "action": r["spec"]["action"], "phase": r.get("status", {}).get("phase"),
                             "records": len(r.get("status", {}).get("records", []))}
                            for r in json.load(file).get("items", [])]
        phases = {}
        for r in remediations:
            phases[r["phase"]] = phases.get(r["phase"], 0) + 1
        out.append(f"Remediation objects: {len(remediations)} ("
                   + ", ".join(f"{count} {phase}" for phase, count in sorted(phases.items())) + ")   (kubectl get remediations -A)")
    out.append(f"\n{len(ok)}/{len(sent['results'])} {noun} succeeded ({sent['method']} through the apiserver service proxy, "
               f"p95 {seconds(p95)})")
    out.append(f"demo took {args.demo_seconds} s")
    print("\n".join(out))

    if args.json:
        with open(args.json, "w") as file:
            json.dump({
                "scenario": args.scenario, "recovered": recovered, "recoverySeconds": args.recovery_seconds,
                "findings": [{"id": f["id"], "runbook": f["runbook"], "target": f["target"],
                              "actions": [a["type"] for a in f.get("actions", [])], "causedBy": f.get("causedBy", [])}
                             for f in findings],
                "incidents": [{"id": i["id"], "rootCauses": i["rootCauses"], "symptoms": i["symptoms"]}
                              for i in advice.get("incidents", [])],
                "actions": taken, "before": before, "after": after,
                "requests": {"sent": len(sent["results"]), "succeeded": len(ok), "p95Seconds": p95},
                "pods": pods, "auditLog": args.audit, "remediations": remediations,
            }, file, indent=2)
    return 0 if recovered and len(ok) == len(sent["results"]) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("entry")
    command.add_argument("url")
    command = commands.add_parser("measure")
    command.add_argument("--prometheus", required=True)
    command.add_argument("--entry", required=True)
    command.add_argument("--window", required=True)
    command = commands.add_parser("recovered")
    command.add_argument("--audit", required=True)
    command.add_argument("--advise", required=True)
    command = commands.add_parser("requests")
    command.add_argument("--kubesim", required=True)
    command.add_argument("--entry", required=True)
    command.add_argument("--method", default="GET")
    command.add_argument("--count", type=int, default=20)
    command = commands.add_parser("summary")
    for name in ("--scenario", "--advise", "--audit", "--before", "--after", "--requests", "--pods", "--recovered"):
        command.add_argument(name, required=True)
    command.add_argument("--recovery-seconds", type=float, required=True)
    command.add_argument("--demo-seconds", required=True)
    command.add_argument("--remediations", help="kubectl get remediations -A -o json, saved")
    command.add_argument("--json")
    args = parser.parse_args()
    handler = {"entry": entry, "measure": measure, "recovered": recovered, "requests": requests, "summary": summary}
    sys.exit(handler[args.command](args) or 0)


if __name__ == "__main__":
    main()
