#!/usr/bin/env bash
# Fuzzes medic's parsers with libFuzzer (docs/fuzzing.md): builds Fuzz/ with
# --sanitize=fuzzer,address in .build-fuzz, then runs each target in turn (one job, the machine
# is shared) from its seed corpus in Fuzz/Corpus and the regressions in Fuzz/Regressions.
# Usage: bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60 s, every target)
# Grown corpora go to .fuzz/corpus/TARGET, crash inputs to .fuzz/crashes/TARGET (both ignored
# by git). Exits 1 when any target crashed, trapped, hung or broke a promise of its parser.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
shift || true

# Target → executable and the longest input worth generating (YAML and JSON documents of a few
# KB reach every field; longer ones only slow the search down).
declare -A PRODUCT=(
  [runbook]=medic-fuzz [policy]=medic-fuzz [runbook-test]=medic-fuzz [cel]=medic-fuzz
  [kubeconfig]=medic-fuzz [exec-credential]=medic-fuzz [snapshot]=medic-fuzz [api-json]=medic-fuzz
  [tape]=medic-fuzz [prometheus]=medic-fuzz [scenario]=medic-fuzz-server [alertmanager]=medic-fuzz-server
)
declare -A MAX_LEN=(
  [runbook]=4096 [policy]=4096 [runbook-test]=4096 [cel]=512 [kubeconfig]=4096 [exec-credential]=2048
  [snapshot]=8192 [api-json]=4096 [tape]=8192 [prometheus]=4096 [scenario]=4096 [alertmanager]=4096
)
ALL=(runbook policy runbook-test cel kubeconfig exec-credential snapshot api-json tape prometheus scenario alertmanager)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")
for target in "${TARGETS[@]}"; do
  [ -n "${PRODUCT[$target]:-}" ] || { echo "unknown target $target; known: ${ALL[*]}" >&2; exit 2; }
done

BUILD=.build-fuzz
mkdir -p .fuzz
for product in $(for target in "${TARGETS[@]}"; do echo "${PRODUCT[$target]}"; done | sort -u); do
  echo "building $product (sanitizers: fuzzer, address)…"
  (cd Fuzz && swift build --build-path "../$BUILD" --product "$product" \
      --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library) \
    > ".fuzz/build-$product.log" 2>&1 || { tail -40 ".fuzz/build-$product.log" >&2; exit 1; }
done
BIN=$(cd Fuzz && swift build --build-path "../$BUILD" --show-bin-path)

failed=0
printf '%-16s %10s %9s %8s %8s %s\n' target runs execs/s cov new-cov crashes
for target in "${TARGETS[@]}"; do
  corpus=.fuzz/corpus/$target crashes=.fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes" Fuzz/Regressions/$target
  log=.fuzz/$target.log
  before=$(ls "$crashes" | wc -l)
  # The Swift runtime's own backtracer fights ASan over the crashing thread and can hang:
  # libFuzzer's handler reports instead. Leak checking is off: once-initialised globals of
  # the Swift runtime and of the targets are reported as leaks at exit. One process, no -jobs
  # or -fork: the machine is shared.
  status=0
  MEDIC_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} \
    "$BIN/${PRODUCT[$target]}" -max_total_time="$SECONDS_PER_TARGET" -max_len="${MAX_LEN[$target]}" \
      -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$corpus" "Fuzz/Corpus/$target" "Fuzz/Regressions/$target" > "$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  start_cov=$(sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' "$log" | head -1)
  end_cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  found=$(( $(ls "$crashes" | wc -l) - before ))
  printf '%-16s %10s %9s %8s %8s %s\n' "$target" "${runs:-?}" "${rate:-?}" "${end_cov:-?}" \
    "$(( ${end_cov:-0} - ${start_cov:-0} ))" "$found"
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    failed=1
    echo "  $target failed (exit $status): see $log; inputs in $crashes/" >&2
    grep -m3 -E 'Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY' "$log" | sed 's/^/  /' >&2 || true
  fi
done
exit $failed
