"""Writes CASES equivalent test cases for bench/runbook-tests.sh: a medic runbook test file and
a promtool rule test file. Case i: an error ratio that crossed 0.5 k samples (30 s apart) before
the evaluation instant, k = 4..19, so with `for: 5m` (10 steps) some fire and some are pending."""
import os
import sys

work, cases = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{work}/medic", exist_ok=True)
os.makedirs(f"{work}/promtool", exist_ok=True)

with open(f"{work}/medic/bench.yaml", "w") as f:
    f.write("""apiVersion: medic.io/v1
kind: Runbook
metadata: {name: bench-errors, severity: high, title: Error ratio high}
target: workload
detect:
  - id: errors-high
    promql: max by (namespace, deployment) (error_ratio)
    above: 0.5
    for: 5m
summary: "{{ workload.name }} fails"
remediate:
  - actions: [{action: rollout-restart}]
""")

with open(f"{work}/promtool/rules.yaml", "w") as f:
    f.write("""groups:
  - name: bench
    rules:
      - alert: ErrorsHigh
        expr: max by (namespace, deployment) (error_ratio) > 0.5
        for: 5m
        labels: {severity: high}
""")

medic = ["runbooks: [bench.yaml]", "eval_time: 2026-11-20T03:00:00Z", "tests:"]
promtool = ["rule_files: [rules.yaml]", "evaluation_interval: 30s", "tests:"]
for i in range(cases):
    k = 4 + i % 16                 # samples above the threshold before the instant
    fires = k >= 10                # 10 × 30 s = the 5m window
    name = f"app-{i}"
    values = f"0.1x{39 - k} 0.9x{k}"   # 40 + 1 samples, the last k+1 above 0.5
    medic += [
        f"  - name: case {i}",
        "    objects:",
        f"      - {{kind: Deployment, metadata: {{name: {name}, namespace: bench}}, spec: {{template: {{metadata: {{labels: {{app: {name}}}}}, spec: {{containers: [{{name: app, image: app}}]}}}}}}}}",
        "    metrics:",
        f"      - {{condition: errors-high, labels: {{namespace: bench, deployment: {name}}}, values: '{values}'}}",
    ]
    medic += ["    expect_findings:", f"      - {{target: Deployment bench/{name}, actions: [{{type: rollout-restart}}]}}"] \
        if fires else ["    expect_no_findings: true"]
    promtool += [
        "  - interval: 30s",
        "    input_series:",
        f"      - series: 'error_ratio{{namespace=\"bench\",deployment=\"{name}\"}}'",
        f"        values: '{values}'",
        "    alert_rule_test:",
        "      - eval_time: 20m",
        "        alertname: ErrorsHigh",
    ]
    promtool += ["        exp_alerts:",
                 f"          - exp_labels: {{severity: high, namespace: bench, deployment: {name}}}"] \
        if fires else ["        exp_alerts: []"]

with open(f"{work}/medic/tests.yaml", "w") as f:
    f.write("\n".join(medic) + "\n")
with open(f"{work}/promtool/tests.yaml", "w") as f:
    f.write("\n".join(promtool) + "\n")
