#!/usr/bin/env bash
# Times `medic test` against `promtool test rules` on equivalent cases: 500 tests of a metric
# condition / alert with a 5m `for` window over similar 30s series (half fire, half are still
# pending). Both run in the same invocation, interleaved, RUNS times; medians are reported.
# Usage: bench/runbook-tests.sh [CASES] [RUNS]   (MEDIC=path/to/medic to pick a binary)
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-500}
RUNS=${2:-5}
OUT=bench/out
mkdir -p "$OUT"
if [ -z "${MEDIC:-}" ]; then
  swift build -c release --product medic > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
  MEDIC=.build/release/medic
fi
command -v promtool >/dev/null || { echo "promtool is not on PATH (make deps)" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 bench/runbook-tests-gen.py "$WORK" "$CASES"

# Interleaved runs, timed and checked in python3 (no bc on a fresh machine).
python3 - "$MEDIC" "$WORK" "$CASES" "$RUNS" <<'TIMING'
import statistics, subprocess, sys, time
medic, work, cases, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
times = {"medic": [], "promtool": []}
for _ in range(runs):
    start = time.perf_counter()
    out = subprocess.run([medic, "test", f"{work}/medic/tests.yaml"], capture_output=True, text=True).stdout
    times["medic"].append(time.perf_counter() - start)
    if out.strip().splitlines()[-1] != f"{cases} passed, 0 failed":
        sys.exit("medic test did not pass every case:\n" + "\n".join(out.splitlines()[-5:]))
    start = time.perf_counter()
    result = subprocess.run(["promtool", "test", "rules", "tests.yaml"], cwd=f"{work}/promtool",
                            capture_output=True, text=True)
    times["promtool"].append(time.perf_counter() - start)
    if "SUCCESS" not in result.stdout + result.stderr:
        sys.exit("promtool test rules failed:\n" + (result.stdout + result.stderr)[-500:])
medians = {name: statistics.median(values) for name, values in times.items()}
for name in ("medic", "promtool"):
    print(f"{name:9s} {cases} cases, median of {runs} runs: total {medians[name]:.3f} s, "
          f"per case {medians[name] * 1000 / cases:.3f} ms")
print(f"ratio promtool/medic per case: {medians['promtool'] / medians['medic']:.2f} (above 1: medic is faster)")
TIMING
