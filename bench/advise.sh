#!/usr/bin/env bash
# Benchmark for `medic advise` on a large snapshot (issue: 10,000 pods, 2,000 Deployments,
# 2,000 Services). Prints medic's wall time and peak RSS with the built-in runbooks, and, in
# the same run, the time python3's json module takes merely to parse the same file (a floor),
# with the ratios. Medians of RUNS runs, interleaved so machine noise hits both alike.
#   bench/advise.sh            # defaults
#   RUNS=7 PODS=10000 bench/advise.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
PODS=${PODS:-10000}
DEPLOYMENTS=${DEPLOYMENTS:-2000}
SERVICES=${SERVICES:-2000}
OUT=bench/out
mkdir -p "$OUT"
SNAPSHOT="$OUT/snapshot-${PODS}p-${DEPLOYMENTS}d-${SERVICES}s.json"

swift build -c release --product medic > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
MEDIC=.build/release/medic
[ -f "$SNAPSHOT" ] || python3 bench/gen_snapshot.py --pods "$PODS" --deployments "$DEPLOYMENTS" \
    --services "$SERVICES" --out "$SNAPSHOT"
SIZE=$(stat -c %s "$SNAPSHOT")

medic_times=(); medic_rss=(); python_times=()
for _ in $(seq "$RUNS"); do
    # GNU time: elapsed seconds and maximum resident set size in KiB. Exit 1 means "findings".
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$MEDIC" advise --snapshot "$SNAPSHOT" \
        --at 2026-11-20T03:00:00Z --output json > "$OUT/advise.json" || [ $? -eq 1 ]
    read -r seconds kib < <(tail -n 1 "$OUT/time.txt")
    medic_times+=("$seconds"); medic_rss+=("$kib")
    python_times+=("$(python3 -c '
import json, sys, time
start = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    json.load(f)
print(f"{time.perf_counter() - start:.3f}")' "$SNAPSHOT")")
done

python3 - "$SIZE" "${medic_times[*]}" "${medic_rss[*]}" "${python_times[*]}" "$OUT/advise.json" <<'PY'
import json, statistics, sys
size = int(sys.argv[1])
medic = [float(x) for x in sys.argv[2].split()]
rss = [int(x) * 1024 for x in sys.argv[3].split()]
python = [float(x) for x in sys.argv[4].split()]
findings = len(json.load(open(sys.argv[5]))["findings"])
m, r, p = statistics.median(medic), statistics.median(rss), statistics.median(python)
print(f"snapshot size            {size / 1e6:8.1f} MB ({size} bytes)")
print(f"findings                 {findings:8d}")
print(f"medic advise wall time   {m:8.3f} s   (median of {len(medic)}: {', '.join(f'{x:.3f}' for x in medic)})")
print(f"python3 json.load floor  {p:8.3f} s   (median of {len(python)}: {', '.join(f'{x:.3f}' for x in python)})")
print(f"time ratio medic/python  {m / p:8.2f} x   (target <= 2)")
print(f"medic peak RSS           {r / 1e6:8.1f} MB")
print(f"RSS ratio RSS/snapshot   {r / size:8.2f} x   (target < 3)")
PY
