#!/usr/bin/env bash
# medic's alert intake end to end, with the real servers: KubeSim plays the bad-rollout
# scenario (a new revision crash-loops), a real Prometheus scrapes it and fires a
# KubePodCrashLooping rule, a real Alertmanager routes the alert to `medic run --mode advise`'s
# webhook (bearer token), and medic answers it long before its 300 s interval. Then the
# rollout is undone with kubectl, the alert resolves, and medic closes its incident. Prints
# medic's log lines about the alert; exits 0 once medic has answered and closed it, 1 otherwise.
# Everything listens on 127.0.0.1 on free ports and stops when the script ends.
#
# Usage: MEDIC_BUILD_DIR=DIR scripts/alert-e2e.sh [TIMEOUT_SECONDS]   (DIR holds medic and kube-sim)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${MEDIC_BUILD_DIR:?set MEDIC_BUILD_DIR to the directory holding medic and kube-sim}
timeout=${1:-90}
log() { printf 'alert-e2e: %s\n' "$*" >&2; }
# free_port, wait_for and stop
source scripts/processes.sh

workdir=$(mktemp -d "${TMPDIR:-/tmp}/medic-alert-e2e.XXXXXX")
pids=()
cleanup() {
    stop "${pids[@]}"
    rm -rf -- "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
lifetime=$((timeout + 30))

"$bin/kube-sim" --exit-after "$lifetime" --scenario docs/examples/bad-rollout/scenario.yaml \
    --write-kubeconfig "$workdir/kubeconfig" >"$workdir/kube-sim.out" 2>"$workdir/kube-sim.err" &
pids+=($!)
wait_for 60 kube-sim "${pids[-1]}" grep -q '^kube-sim serving' "$workdir/kube-sim.out" || { cat "$workdir/kube-sim.err" >&2; exit 1; }
kubesim_url=$(sed -n 's/^kube-sim serving //p' "$workdir/kube-sim.out")

medic_port=$(free_port) am_port=$(free_port) prom_port=$(free_port)
printf 'e2e-token-%s\n' "$RANDOM$RANDOM" >"$workdir/token"
KUBECONFIG="$workdir/kubeconfig" timeout "$lifetime" "$bin/medic" run --mode advise --interval 300s \
    --listen "127.0.0.1:$medic_port" --alert-token-file "$workdir/token" --prometheus "http://127.0.0.1:$prom_port" \
    --audit-log "$workdir/audit.jsonl" --identity medic-e2e 2>"$workdir/medic.log" &
pids+=($!)
wait_for 30 medic "${pids[-1]}" curl -fsS --max-time 2 "http://127.0.0.1:$medic_port/healthz" || { cat "$workdir/medic.log" >&2; exit 1; }

cat >"$workdir/alertmanager.yml" <<EOF
route:
  receiver: medic
  group_by: [alertname, namespace]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: medic
    webhook_configs:
      - url: http://127.0.0.1:$medic_port/api/v1/alerts
        send_resolved: true
        http_config:
          authorization: {credentials_file: $workdir/token}
EOF
timeout "$lifetime" prometheus-alertmanager --config.file="$workdir/alertmanager.yml" --storage.path="$workdir/alertmanager" \
    --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= >"$workdir/alertmanager.log" 2>&1 &
pids+=($!)
wait_for 30 alertmanager "${pids[-1]}" curl -fsS --max-time 2 "http://127.0.0.1:$am_port/-/ready" || { cat "$workdir/alertmanager.log" >&2; exit 1; }

# KubeSim exports restarts, not kube-state-metrics' waiting reason, so the rule is the
# kubernetes-mixin's earlier KubePodCrashLooping expression (restarts going up), with a short `for`.
cat >"$workdir/rules.yml" <<'EOF'
groups:
  - name: kubernetes-apps
    rules:
      - alert: KubePodCrashLooping
        expr: kube_pod_container_status_restarts_total{job="kubesim"} >= 1
        for: 4s
        labels: {severity: warning}
        annotations:
          summary: Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is in waiting state (reason "CrashLoopBackOff").
EOF
cat >"$workdir/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files: [$workdir/rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{targets: ["127.0.0.1:$am_port"]}]
scrape_configs:
  - job_name: kubesim
    static_configs: [{targets: ["${kubesim_url#http://}"]}]
EOF
timeout "$lifetime" prometheus --config.file="$workdir/prometheus.yml" --storage.tsdb.path="$workdir/prometheus" \
    --web.listen-address="127.0.0.1:$prom_port" >"$workdir/prometheus.log" 2>&1 &
pids+=($!)
wait_for 30 prometheus "${pids[-1]}" curl -fsS --max-time 2 "http://127.0.0.1:$prom_port/-/ready" || { cat "$workdir/prometheus.log" >&2; exit 1; }
log "KubeSim, medic, Alertmanager and Prometheus are up; waiting up to $timeout s for medic to answer the alert"

answered() { grep -q '"message":"alert KubePodCrashLooping (fingerprint [^)]*) → finding' "$workdir/medic.log"; }
closed() { grep -q '"message":"alert KubePodCrashLooping (fingerprint [^)]*) resolved: incident' "$workdir/medic.log"; }
if wait_for "$timeout" "medic's answer to the alert" "${pids[1]}" answered; then
    log "medic answered; undoing the rollout so that the alert resolves"
    KUBECONFIG="$workdir/kubeconfig" kubectl rollout undo deployment/profile -n hotel >&2
    if wait_for "$timeout" "medic's closing of the incident" "${pids[1]}" closed; then
        grep -E '"message":"(alerts received|alert KubePodCrashLooping|pass finished)' "$workdir/medic.log"
        exit 0
    fi
fi
log "medic did not answer or close the alert; its log, then Alertmanager's and Prometheus' alerts:"
cat "$workdir/medic.log" >&2
tail -20 "$workdir/alertmanager.log" >&2
curl -fsS --max-time 2 "http://127.0.0.1:$prom_port/api/v1/alerts" >&2 || true
exit 1
