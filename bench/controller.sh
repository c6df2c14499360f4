#!/usr/bin/env bash
# Benchmark (not a test) for `medic run` on a large cluster: KubeSim holding 10,000 pods, 2,000
# Deployments and 2,000 Services (bench/gen_snapshot.py), a churn of writes at a steady rate
# (pod status changes, scale events, Events), and `medic run --mode advise` watching it. Twenty
# Services get a broken selector at known instants; each should be a finding in medic's log.
# In the same run, `kubectl get services -A -w --output-watch-events` is the floor: how soon
# any watcher can see the change. Prints, last:
#   detection p50 S s p99 S s max S s       injected change → medic's finding (log line)
#   steady-state LIST requests per minute N  medic's, from KubeSim's request log
#   medic cpu P % rss N MB                  CPU share of one core over the run, peak RSS
#   watch floor p99 S s                     injected change → kubectl's watch line
#
#   bench/controller.sh                 # release build, defaults below
#   PODS=2000 FAULTS=10 bench/controller.sh
#   BIN=.build/debug bench/controller.sh    # another build's medic and kube-sim
set -euo pipefail
cd "$(dirname "$0")/.."

PODS=${PODS:-10000}
DEPLOYMENTS=${DEPLOYMENTS:-2000}
SERVICES=${SERVICES:-2000}
FAULTS=${FAULTS:-20}
SPACING=${SPACING:-6}    # seconds between faults
CHURN=${CHURN:-20}       # writes per second
INTERVAL=${INTERVAL:-30s}
OUT=bench/out
mkdir -p "$OUT"

if [ -z "${BIN:-}" ]; then
    { swift build -c release --product medic && swift build -c release --product kube-sim; } > "$OUT/build.log" 2>&1 \
        || { cat "$OUT/build.log" >&2; exit 1; }
    BIN=.build/release
fi
cluster="$OUT/cluster-${PODS}p.json"
if [ ! -f "$cluster" ]; then
    echo "generating $cluster" >&2
    python3 bench/gen_snapshot.py --pods "$PODS" --deployments "$DEPLOYMENTS" --services "$SERVICES" \
        --events 2000 --compact --out "$cluster.tmp"
    mv "$cluster.tmp" "$cluster"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/medic-bench-controller.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
# Everything started here also stops by itself.
readonly LIFETIME=$((600 + FAULTS * ${SPACING%.*}))

echo "starting KubeSim with $cluster" >&2
"$BIN/kube-sim" --load "$cluster" --write-kubeconfig "$work/kubeconfig" --request-log "$work/requests.jsonl" \
    --exit-after "$LIFETIME" > "$work/kube-sim.out" 2> "$work/kube-sim.err" &
pids+=($!)
for _ in $(seq 600); do grep -q '^kube-sim serving' "$work/kube-sim.out" && break; sleep 1; done
server=$(sed -n 's/^kube-sim serving //p' "$work/kube-sim.out")
[ -n "$server" ] || { echo "KubeSim did not start:" >&2; cat "$work/kube-sim.err" >&2; exit 1; }
export KUBECONFIG="$work/kubeconfig"

# The floor: every Service change as kubectl's watch prints it, stamped on arrival.
timeout "$LIFETIME" kubectl get services -A -w --output-watch-events --no-headers 2> "$work/watch.err" \
    | python3 -u -c 'import sys, time
for line in sys.stdin:
    print("%.3f %s" % (time.time(), line.strip()), flush=True)' > "$work/watch.log" &
pids+=($!)

echo "starting medic run --mode advise (interval $INTERVAL)" >&2
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The repository's runbooks and default policy, wherever BIN is.
MEDIC_RUNBOOKS=$PWD/runbooks timeout "$LIFETIME" "$BIN/medic" run --mode advise --policy policies/default.yaml \
    --interval "$INTERVAL" --listen "127.0.0.1:$port" \
    --audit-log "$work/audit.jsonl" --lease-namespace default 2> "$work/medic.log" &
medic_wrapper=$!
pids+=($medic_wrapper)
for _ in $(seq 600); do grep -q '"pass finished"' "$work/medic.log" && break; sleep 1; done
grep -q '"pass finished"' "$work/medic.log" || { echo "medic's first pass did not finish:" >&2; tail -5 "$work/medic.log" >&2; exit 1; }
medic_pid=$(pgrep -P "$medic_wrapper" -f "medic run" | head -1)
echo "medic's first pass finished; churn and faults start" >&2

cpu_ticks() { awk '{print $14 + $15}' "/proc/$medic_pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)
start=$(date +%s.%N)
ticks_before=$(cpu_ticks)
python3 bench/controller.py drive --server "$server" --cluster "$cluster" --faults "$FAULTS" --spacing "$SPACING" \
    --churn "$CHURN" --out "$work/faults.jsonl"
end=$(date +%s.%N)
ticks_after=$(cpu_ticks)
peak_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$medic_pid/status")
python3 -c 'import json, sys
print(json.dumps({"cpu_seconds": (int(sys.argv[2]) - int(sys.argv[1])) / int(sys.argv[3]),
                  "wall_seconds": float(sys.argv[5]) - float(sys.argv[4]), "peak_rss_kib": int(sys.argv[6])}))' \
    "$ticks_before" "$ticks_after" "$ticks_per_second" "$start" "$end" "$peak_kib" > "$work/medic-stats.json"

python3 bench/controller.py report --faults "$work/faults.jsonl" --medic-log "$work/medic.log" \
    --watch-log "$work/watch.log" --requests "$work/requests.jsonl" --medic-pid-stats "$work/medic-stats.json" \
    --steady-from "$start" --steady-to "$end"
echo "logs: $work" >&2
