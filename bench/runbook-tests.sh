#!/usr/bin/env bash
# Times `medic test` against `promtool test rules` on equivalent cases: 500 tests of a metric
# condition / alert with a 5m `for` window over similar 30s series (half fire, half are still
# pending). Both run in the same invocation, interleaved, RUNS times; medians are reported.
# Usage: bench/runbook-tests.sh [CASES] [RUNS]   (MEDIC=path/to/medic to pick a binary)
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-500}
RUNS=${2:-5}
MEDIC=${MEDIC:-.build/debug/medic}
[ -x "$MEDIC" ] || { echo "build medic first (swift build), or set MEDIC" >&2; exit 2; }
command -v promtool >/dev/null || { echo "promtool is not on PATH" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 bench/runbook-tests-gen.py "$WORK" "$CASES"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }
: > "$WORK/medic.times"; : > "$WORK/promtool.times"
for run in $(seq "$RUNS"); do
  start=$(now); "$MEDIC" test "$WORK/medic/tests.yaml" > "$WORK/medic.out"; end=$(now)
  echo "$end - $start" | bc -l >> "$WORK/medic.times"
  tail -1 "$WORK/medic.out" | grep -qx "$CASES passed, 0 failed" || { cat "$WORK/medic.out" | tail -5; exit 1; }
  start=$(now); (cd "$WORK/promtool" && promtool test rules tests.yaml > ../promtool.out 2>&1); end=$(now)
  echo "$end - $start" | bc -l >> "$WORK/promtool.times"
  grep -q SUCCESS "$WORK/promtool.out" || { tail -5 "$WORK/promtool.out"; exit 1; }
done
medic=$(median < "$WORK/medic.times")
promtool=$(median < "$WORK/promtool.times")
printf '%-9s %d cases, median of %d runs: total %.3f s, per case %.3f ms\n' medic "$CASES" "$RUNS" "$medic" \
  "$(echo "$medic * 1000 / $CASES" | bc -l)"
printf '%-9s %d cases, median of %d runs: total %.3f s, per case %.3f ms\n' promtool "$CASES" "$RUNS" "$promtool" \
  "$(echo "$promtool * 1000 / $CASES" | bc -l)"
printf 'ratio promtool/medic per case: %.2f (above 1: medic is faster)\n' "$(echo "$promtool / $medic" | bc -l)"
