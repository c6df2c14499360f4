#!/usr/bin/env bash
# The body of `make demo`: medic fixes a live incident end to end, without a cluster.
#
#   scripts/demo.sh [--scenario NAME|FILE] [--timeout SECONDS] [--summary-json FILE]
#
# 1. installs what is missing and builds medic and kube-sim;
# 2. starts KubeSim playing the scenario (default: cloudmart, docs/examples/cloudmart), and a
#    real Prometheus that holds the incident's history and scrapes KubeSim live;
# 3. shows what `medic advise` finds;
# 4. runs `medic run --mode apply --policy policies/demo.yaml` until every finding is fixed
#    and verified (or --timeout, default 180 s);
# 5. prints a summary (findings, actions, time to recovery, error rate and p95 before and
#    after, the audit log's path), sends 20 requests through the scenario's entry Service
#    (for CloudMart: 20 orders through the gateway) and prints `N/N … succeeded`;
# 6. writes the incident report (`medic report`, charts from its Prometheus) beside the audit
#    log and prints its path last;
# 7. stops everything it started. The audit log and the report are kept.
#
# MEDIC_BUILD_DIR=DIR uses medic and kube-sim from DIR instead of building (the e2e test).
# Exit status: 0 recovered and every request succeeded; 1 otherwise; 2 bad arguments.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly REPO=$PWD

scenario=cloudmart
timeout=180
summary_json=""
while (($#)); do
    case $1 in
    --scenario) scenario=${2:?--scenario needs a name or file}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    --summary-json) summary_json=${2:?--summary-json needs a file}; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
scenario_file=$scenario
[[ -f $scenario_file ]] || scenario_file="docs/examples/$scenario/scenario.yaml"
if [[ ! -f $scenario_file ]]; then
    echo "demo: no scenario $scenario: expected a file or one of: $(ls docs/examples/*/scenario.yaml | cut -d/ -f3 | tr '\n' ' ')" >&2
    exit 2
fi

log() { printf '\033[1mdemo:\033[0m %s\n' "$*" >&2; }
# free_port, wait_for and stop
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

workdir=""
pids=()
cleanup() {
    stop "${pids[@]}"
    if [[ -n $workdir ]]; then rm -rf -- "$workdir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
if [[ -n ${MEDIC_BUILD_DIR:-} ]]; then
    bin=$MEDIC_BUILD_DIR
else
    scripts/install-deps.sh
    log "building medic and kube-sim (the first build on a machine takes several minutes; make test shares it)"
    swift build >&2
    bin=$(swift build --show-bin-path)
fi

# Every process started here also stops by itself, should this script be killed outright.
readonly LIFETIME=$((timeout + 600))
workdir=$(mktemp -d "${TMPDIR:-/tmp}/medic-demo.XXXXXX")
audit_dir=$(mktemp -d "${TMPDIR:-/tmp}/medic-demo-audit.XXXXXX")
readonly AUDIT="$audit_dir/audit.jsonl"
export KUBECONFIG="$workdir/kubeconfig"

# The history ends LIVE_AFTER seconds from now and KubeSim's live metrics start then: by that
# time Prometheus holds the history and scrapes, so no gap lies between the two. A gap longer
# than a sample interval would bend every rate() whose window ends inside it, for as long as
# a runbook's `for` looks back.
readonly LIVE_AFTER=30
log "starting KubeSim with $scenario_file (its history is simulated first, up to ${LIVE_AFTER} s from now)"
"$bin/kube-sim" --exit-after "$LIFETIME" --scenario "$scenario_file" --write-history "$workdir/history.om" \
    --live-after "$LIVE_AFTER" \
    --write-kubeconfig "$KUBECONFIG" >"$workdir/kube-sim.out" 2>"$workdir/kube-sim.err" &
pids+=($!)
wait_for 120 kube-sim "${pids[-1]}" grep -q '^kube-sim serving' "$workdir/kube-sim.out" || {
    cat "$workdir/kube-sim.err" >&2
    exit 1
}
kubesim_url=$(sed -n 's/^kube-sim serving //p' "$workdir/kube-sim.out")
read -r _ _ load_method load_url _ < <(grep '^kube-sim load ' "$workdir/kube-sim.out" | head -1)

log "backfilling the incident's history into Prometheus"
promtool tsdb create-blocks-from openmetrics "$workdir/history.om" "$workdir/prometheus" >"$workdir/backfill.log" 2>&1 || {
    cat "$workdir/backfill.log" >&2
    exit 1
}
prom_port=$(free_port)
readonly PROM_URL="http://127.0.0.1:$prom_port"
cat >"$workdir/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: kubesim
    static_configs: [{targets: ["${kubesim_url#http://}"]}]
    relabel_configs:
      - {target_label: instance, replacement: kubesim}
EOF
timeout "$LIFETIME" prometheus --config.file="$workdir/prometheus.yml" --storage.tsdb.path="$workdir/prometheus" \
    --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$prom_port" >"$workdir/prometheus.log" 2>&1 &
pids+=($!)
wait_for 60 prometheus "${pids[-1]}" curl -fsS --max-time 2 "$PROM_URL/-/ready" || { cat "$workdir/prometheus.log" >&2; exit 1; }
scraped() { curl -fsS --max-time 2 "$PROM_URL/api/v1/query" --data-urlencode 'query=up{job="kubesim"} == 1' | grep -q '"value"'; }
wait_for $((LIVE_AFTER + 30)) "prometheus' first scrape of KubeSim" "${pids[-1]}" scraped || { cat "$workdir/prometheus.log" >&2; exit 1; }

report() { python3 scripts/demo_report.py "$@"; }
entry=$(report entry "$load_url")
report measure --prometheus "$PROM_URL" --entry "$entry" --window 5m >"$workdir/before.json"

log "what medic advise finds (read-only)"
"$bin/medic" advise --prometheus "$PROM_URL" >&2 || true
"$bin/medic" advise --prometheus "$PROM_URL" --output json >"$workdir/advise.json" || true

# medic keeps each action as a Remediation object when the cluster serves the CRD, as an
# install from deploy/ does.
kubectl apply -f deploy/base/crd-remediations.yaml >"$workdir/crd.log" 2>&1 || { cat "$workdir/crd.log" >&2; exit 1; }

run_port=$(free_port)
log "medic run --mode apply --policy policies/demo.yaml, until every fault is fixed and verified"
run_started=$(date +%s.%N)
timeout "$LIFETIME" "$bin/medic" run --mode apply --policy policies/demo.yaml --prometheus "$PROM_URL" --audit-log "$AUDIT" \
    --runbooks runbooks --interval 5s --listen "127.0.0.1:$run_port" 2>"$workdir/medic-run.log" &
run_pid=$!
pids+=("$run_pid")
recovered=false
deadline=$((SECONDS + timeout))
while ((SECONDS < deadline)); do
    sleep 5
    kill -0 "$run_pid" 2>/dev/null || { log "medic run exited; its log:"; tail -20 "$workdir/medic-run.log" >&2; break; }
    "$bin/medic" advise --prometheus "$PROM_URL" --output json >"$workdir/advise-now.json" 2>/dev/null || true
    if report recovered --audit "$AUDIT" --advise "$workdir/advise-now.json"; then
        recovered=true
        break
    fi
done
recovery_seconds=$(python3 -c "import time; print(round(time.time() - $run_started, 1))")
stop "$run_pid"
if $recovered; then
    log "recovered; letting the traffic run 60 s to measure the state after"
    sleep 60
else
    log "not recovered within $timeout s; medic advise still reports:"
    "$bin/medic" advise --prometheus "$PROM_URL" >&2 || true
fi
report measure --prometheus "$PROM_URL" --entry "$entry" --window 1m >"$workdir/after.json"
report requests --kubesim "$kubesim_url" --entry "$entry" --method "$load_method" --count 20 >"$workdir/requests.json"
kubectl get pods -A -o json >"$workdir/pods.json"
kubectl get remediations -A -o json >"$workdir/remediations.json"
log "pods now (kubectl get pods -A)"
kubectl get pods -A >&2

status=0
report summary --scenario "$scenario" --advise "$workdir/advise.json" --audit "$AUDIT" \
    --before "$workdir/before.json" --after "$workdir/after.json" --requests "$workdir/requests.json" \
    --pods "$workdir/pods.json" --remediations "$workdir/remediations.json" --recovered "$recovered" --recovery-seconds "$recovery_seconds" \
    --demo-seconds "$((SECONDS - started))" ${summary_json:+--json "$summary_json"} || status=$?
# The incident report, while Prometheus still runs so its charts have data.
if "$bin/medic" report --audit-log "$AUDIT" --prometheus "$PROM_URL" --output "$audit_dir/report" \
    >/dev/null 2>"$workdir/report.err"; then
    echo "incident report: $audit_dir/report/report.html   (Markdown: $audit_dir/report/report.md)"
else
    log "medic report failed:"; cat "$workdir/report.err" >&2
fi
if ! $recovered; then status=1; fi
exit "$status"
