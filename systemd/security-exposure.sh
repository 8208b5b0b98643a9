#!/bin/sh
# security-exposure.sh SYSTEMD-ANALYZE UNIT MAX: `systemd-analyze security
# --offline=yes --user` on UNIT; prints its table and overall exposure, and
# fails when the exposure is above MAX (0.0 best, 10.0 worst), so that a
# change that loosens the unit's sandboxing fails the tests. MAX is the value
# the unit achieves: when the unit gets tighter, lower it.
set -u
analyze=$1
unit=$2
max=$3

# --user needs a runtime directory, which a build machine may not have.
runtime_dir=$(mktemp -d) || exit 1
trap 'rm -rf "$runtime_dir"' EXIT

# --threshold=100: the tool's own exit status then says whether it could
# analyse the unit, not whether the score passed; the score is checked below.
output=$(XDG_RUNTIME_DIR=$runtime_dir "$analyze" security --offline=yes --user --no-pager \
  --threshold=100 "$unit" 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$status" -ne 0 ]; then
  echo "systemd-analyze security failed on $unit (exit $status)" >&2
  exit 1
fi

# "→ Overall exposure level for lpc-agenda.service: 5.9 MEDIUM 😐"
exposure=$(printf '%s\n' "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9.]*\).*/\1/p')
if [ -z "$exposure" ]; then
  echo "no overall exposure level in the output of systemd-analyze security" >&2
  exit 1
fi

if awk -v e="$exposure" -v m="$max" 'BEGIN { exit !(e + 0 > m + 0) }'; then
  echo "FAIL: exposure $exposure of $unit is above $max: its sandboxing got looser" >&2
  exit 1
fi
echo "ok: exposure $exposure of $unit (at most $max)"
