#!/usr/bin/env python3
"""Writes manifests/: CloudMart as its Git repository declares it (one file per app, its
Deployment and Service), for `medic advise --output patch --manifests`. Derived from
snapshot.json: the live objects without status, server-set metadata and API defaults, as a
person would write them. Deterministic: re-run it and nothing changes."""
import json
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULTS = {
    "container": {"imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log",
                  "terminationMessagePolicy": "File"},
    "podSpec": {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                "securityContext": {}, "terminationGracePeriodSeconds": 30},
    "probe": {"failureThreshold": 3, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
    "deployment": {"progressDeadlineSeconds": 600, "revisionHistoryLimit": 10},
}


def strip(fields, defaults):
    for key, value in defaults.items():
        if fields.get(key) == value:
            del fields[key]


def declared(item):
    meta = item["metadata"]
    out = {"apiVersion": item["apiVersion"], "kind": item["kind"],
           "metadata": {"name": meta["name"], "namespace": meta["namespace"]}}
    if meta.get("labels"):
        out["metadata"]["labels"] = meta["labels"]
    spec = json.loads(json.dumps(item["spec"]))
    if item["kind"] == "Deployment":
        strip(spec, DEFAULTS["deployment"])
        spec.pop("strategy", None)
        template = spec["template"]
        template["metadata"].pop("creationTimestamp", None)
        strip(template["spec"], DEFAULTS["podSpec"])
        for container in template["spec"]["containers"]:
            strip(container, DEFAULTS["container"])
            for port in container.get("ports", []):
                if port.get("protocol") == "TCP":
                    del port["protocol"]
            for probe in ("livenessProbe", "readinessProbe"):
                if probe in container:
                    strip(container[probe], DEFAULTS["probe"])
                    container[probe].get("httpGet", {}).pop("scheme", None)
    else:
        for key in ("clusterIP", "clusterIPs", "internalTrafficPolicy", "ipFamilies", "ipFamilyPolicy",
                    "sessionAffinity"):
            spec.pop(key, None)
        if spec.get("type") == "ClusterIP":
            del spec["type"]
        for port in spec.get("ports", []):
            if port.get("protocol") == "TCP":
                del port["protocol"]
    out["spec"] = spec
    return out


def main():
    with open(os.path.join(HERE, "snapshot.json")) as f:
        items = json.load(f)["items"]
    apps = {}
    for item in items:
        if item["kind"] in ("Deployment", "Service") and item["metadata"]["namespace"] == "production":
            apps.setdefault(item["metadata"]["name"], {})[item["kind"]] = declared(item)
    out_dir = os.path.join(HERE, "manifests")
    os.makedirs(out_dir, exist_ok=True)
    for name, objects in sorted(apps.items()):
        documents = [objects[kind] for kind in ("Deployment", "Service") if kind in objects]
        with open(os.path.join(out_dir, f"{name}.yaml"), "w") as f:
            f.write(f"# {name}: CloudMart's {' and '.join(d['kind'] for d in documents)}, as Git declares them.\n")
            f.write(yaml.safe_dump_all(documents, sort_keys=False, default_flow_style=False, width=200))


if __name__ == "__main__":
    main()
