#!/usr/bin/env bash
# The body of `make demo`: runs `medic advise` on the CloudMart incident
# (docs/examples/cloudmart) against a real Prometheus loaded with the incident's metrics.
#
#   scripts/demo.sh [extra medic advise arguments, e.g. --output json]
#
# Exit status: 0 when medic exits 0 (nothing found) or 1 (findings reported);
# otherwise medic's own status, or 1 if the demo could not start.
set -euo pipefail

readonly AT="2026-11-20T03:00:00Z"
readonly READY_TIMEOUT=60

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly SNAPSHOT="docs/examples/cloudmart/snapshot.json"
readonly METRICS="docs/examples/cloudmart/metrics.om"

log() { printf 'demo: %s\n' "$*" >&2; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

workdir=""
prom_pid=""
cleanup() {
    if [[ -n $prom_pid ]] && kill -0 "$prom_pid" 2>/dev/null; then
        kill "$prom_pid" 2>/dev/null || true
        wait "$prom_pid" 2>/dev/null || true
    fi
    if [[ -n $workdir ]]; then rm -rf -- "$workdir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/install-deps.sh

log "building medic (release)"
swift build -c release --product medic

workdir=$(mktemp -d "${TMPDIR:-/tmp}/medic-demo.XXXXXX")
log "backfilling $METRICS"
promtool tsdb create-blocks-from openmetrics "$METRICS" "$workdir/data" >"$workdir/backfill.log" 2>&1 || {
    cat "$workdir/backfill.log" >&2
    log "promtool could not load $METRICS"
    exit 1
}

port=$(free_port)
readonly PROM_URL="http://127.0.0.1:$port"
cat >"$workdir/prometheus.yml" <<'EOF'
global:
  scrape_interval: 1m
EOF
log "starting prometheus on $PROM_URL"
prometheus \
    --config.file="$workdir/prometheus.yml" \
    --storage.tsdb.path="$workdir/data" \
    --storage.tsdb.retention.time=100y \
    --web.listen-address="127.0.0.1:$port" \
    >"$workdir/prometheus.log" 2>&1 &
prom_pid=$!

deadline=$((SECONDS + READY_TIMEOUT))
until curl -fsS --max-time 2 "$PROM_URL/-/ready" >/dev/null 2>&1; do
    if ! kill -0 "$prom_pid" 2>/dev/null; then
        log "prometheus exited before it was ready; its log:"
        cat "$workdir/prometheus.log" >&2
        exit 1
    fi
    if ((SECONDS >= deadline)); then
        log "prometheus was not ready within ${READY_TIMEOUT}s; its log:"
        cat "$workdir/prometheus.log" >&2
        exit 1
    fi
    sleep 0.5
done

status=0
.build/release/medic advise --snapshot "$SNAPSHOT" --prometheus "$PROM_URL" --at "$AT" "$@" || status=$?
if ((status == 0 || status == 1)); then
    exit 0
fi
exit "$status"
