#!/usr/bin/env bash
# Fuzzes one target for a while: the smoke runs of .ci/test-fuzz (suite
# fuzz-smoke, -Dfuzzing=true builds), and the long runs of RELIABILITY.md.
#
#   run-fuzzer.sh FUZZER SECONDS DICT ARTIFACT_DIR SEED_DIR...
#
# Fuzzes for SECONDS, one process, from a temporary copy of the SEED_DIRs (the
# new inputs libFuzzer keeps go there, never into the source tree), with DICT
# when it is not ''. Fails when the fuzzer fails or leaves any artifact (crash,
# leak, timeout, out of memory, slow input) in ARTIFACT_DIR, and prints each
# one and the commands that reproduce it. Ends with the run's figures.
set -uo pipefail

if [[ $# -lt 5 ]]; then
  echo "usage: $0 FUZZER SECONDS DICT ARTIFACT_DIR SEED_DIR..." >&2
  exit 2
fi
fuzzer=$(readlink -f "$1") seconds=$2 dict=$3 artifacts=$4
shift 4
name=$(basename "$fuzzer")
name=${name#fuzz-}

export LC_ALL=${LC_ALL:-C.UTF-8}
export G_SLICE=always-malloc
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

work=$(mktemp -d "${TMPDIR:-/tmp}/lpc-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
for seeds in "$@"; do
  cp -- "$seeds"/* "$work/corpus/" || exit 1
done
rm -rf "$artifacts"
mkdir -p "$artifacts" || exit 1

args=(
  -max_total_time="$seconds"
  -rss_limit_mb=2048
  -timeout=10
  -max_len=16384
  -print_final_stats=1
  -artifact_prefix="$artifacts/"
)
[[ -n "$dict" ]] && args+=(-dict="$dict")

echo "run-fuzzer.sh: $fuzzer ${args[*]} $work/corpus"
"$fuzzer" "${args[@]}" "$work/corpus" 2>&1 | tee "$work/log"
rc=${PIPESTATUS[0]}

shopt -s nullglob
found=("$artifacts"/*)
for artifact in "${found[@]}"; do
  echo
  echo "==== $(basename "$artifact") ($(stat -c %s "$artifact") bytes)"
  head -c 2048 "$artifact" | od -A d -c | head -n 40
  echo "---- reproduce (this build, then any build):"
  echo "  $fuzzer $artifact"
  echo "  BUILDDIR/tests/fuzz/run-corpus-$name $artifact"
  echo "---- once fixed, keep it as a regression:"
  echo "  cp $artifact tests/fuzz/regressions/$name/WHAT-IT-WAS"
done

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
last=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [^ ]+')
echo "run-fuzzer.sh: $name: ${runs:-?} runs (limit ${seconds} s), ${speed:-?} exec/s, ${last:-no coverage line}"
if [[ $rc -ne 0 || ${#found[@]} -gt 0 ]]; then
  echo "run-fuzzer.sh: $name: FAILED (fuzzer exit $rc, ${#found[@]} artifacts in $artifacts)"
  exit 1
fi
echo "run-fuzzer.sh: $name: no crash, leak or timeout"
