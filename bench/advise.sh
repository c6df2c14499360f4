#!/usr/bin/env bash
# Benchmark for `medic advise --snapshot` on large snapshots, against python3's json.load of the
# same file (a floor: it only parses). One run measures three files side by side:
#   10k      10,000 pods, 2,000 Deployments, 2,000 Services, kubectl's indented JSON
#   10k-min  the same objects as compact JSON (no whitespace, as API servers send it)
#   50k      50,000 pods, and the same 2,000 Deployments, 2,000 Services and 5,000 Events, indented
# and prints, per file, the wall time of medic reading the snapshot alone and of the whole
# advise, each over python's, peak RSS of both over the file size, and the read's ms per pod.
# Medians of RUNS runs, medic and python interleaved so machine noise hits both alike. The snapshots are generated once into
# bench/out (the 50k one takes minutes).
#   bench/advise.sh            # defaults
#   RUNS=5 bench/advise.sh
#   MEDIC=/tmp/medic-before bench/advise.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
OUT=bench/out
mkdir -p "$OUT"

# MEDIC=path/to/medic measures another build (an older one, to compare) instead of building.
if [ -z "${MEDIC:-}" ]; then
    swift build -c release --product medic > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
    MEDIC=.build/release/medic
fi

generate() { # name pods deployments services events [--compact]
    local file="$OUT/snapshot-$1.json"
    if [ ! -f "$file" ]; then
        echo "generating $file" >&2
        python3 bench/gen_snapshot.py --pods "$2" --deployments "$3" --services "$4" --events "$5" ${6:-} \
            --out "$file.tmp"
        mv "$file.tmp" "$file"
    fi
    echo "$file"
}

# name, pods, file
CASES=(
    "10k 10000 $(generate 10000p 10000 2000 2000 5000)"
    "10k-min 10000 $(generate 10000p-compact 10000 2000 2000 5000 --compact)"
    "50k 50000 $(generate 50000p 50000 2000 2000 5000)"
)

: > "$OUT/results.txt"
for run in $(seq "$RUNS"); do
    for case in "${CASES[@]}"; do
        read -r name pods file <<< "$case"
        # GNU time: elapsed s, peak RSS KiB, user s, system s. Exit 1 means "findings".
        /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" "$MEDIC" advise --snapshot "$file" \
            --at 2026-11-20T03:00:00Z --output json > "$OUT/advise-$name.json" 2> "$OUT/advise-$name.err" || [ $? -eq 1 ]
        echo "$name medic $(tail -n 1 "$OUT/time.txt")" >> "$OUT/results.txt"
        # The read alone (issue item 7: decoding against python's parse): advise stops with an
        # error right after reading when --namespace names one the snapshot does not hold.
        /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" "$MEDIC" advise --snapshot "$file" \
            --namespace medic-bench-absent > /dev/null 2> "$OUT/read-$name.err" || true
        grep -q "medic-bench-absent" "$OUT/read-$name.err" || { cat "$OUT/read-$name.err" >&2; exit 1; }
        echo "$name read $(tail -n 1 "$OUT/time.txt")" >> "$OUT/results.txt"
        /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" python3 -c '
import json, sys, time
start = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    json.load(f)
print(f"{time.perf_counter() - start:.3f}")' "$file" > "$OUT/python.txt"
        read -r _ kib user system < <(tail -n 1 "$OUT/time.txt")
        echo "$name python $(cat "$OUT/python.txt") $kib $user $system" >> "$OUT/results.txt"
    done
done

python3 - "$OUT/results.txt" "${CASES[@]}" <<'PY'
import json, os, statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"{'snapshot':9} {'MB':>7} {'findings':>8} {'read s':>7} {'advise s':>8} {'python s':>8} {'read':>6} {'advise':>6} "
      f"{'read RSS':>8} {'RSS/file':>8} {'py RSS':>7} {'read ms/pod':>11} {'cpu':>6}")
for case in sys.argv[2:]:
    name, pods, path = case.split()
    size = os.path.getsize(path)
    def median(tool, value):
        return statistics.median(value(r) for r in rows if r[0] == name and r[1] == tool)
    medic, read, python = (median(tool, lambda r: float(r[2])) for tool in ("medic", "read", "python"))
    medic_cpu = median("medic", lambda r: float(r[4]) + float(r[5]))
    python_cpu = median("python", lambda r: float(r[4]) + float(r[5]))
    rss, read_rss, python_rss = (median(tool, lambda r: int(r[3]) * 1024) for tool in ("medic", "read", "python"))
    findings = len(json.load(open(f"bench/out/advise-{name}.json"))["findings"])
    print(f"{name:9} {size / 1e6:7.1f} {findings:8d} {read:7.2f} {medic:8.2f} {python:8.2f} {read / python:5.2f}x "
          f"{medic / python:5.2f}x {read_rss / size:7.2f}x {rss / size:7.2f}x {python_rss / size:6.2f}x "
          f"{read / int(pods) * 1000:11.3f} {medic_cpu / python_cpu:5.2f}x")
runs = len([r for r in rows if r[1] == "medic"]) // (len(sys.argv) - 2)
print(f"medians of {runs} runs against python3's json.load of the same file. read: medic reading the snapshot")
print("alone, wall time over python's (target <= 0.5x); advise: the whole advise, diagnosis and output included;")
print("read RSS, RSS/file: peak RSS of the read alone and of the whole advise over the file size (target <= 1.5x);")
print("read ms/pod: linear when 10k and 50k agree; cpu: advise's user+system CPU time over python's")
PY
