#!/bin/sh
# verify-unit.sh SYSTEMD-ANALYZE UNIT: `systemd-analyze verify --user` on
# UNIT, failing on any complaint: it reports unknown settings and bad values
# as warnings and still exits 0.
set -u
analyze=$1
unit=$2

# --user needs a runtime directory, which a build machine may not have.
runtime_dir=$(mktemp -d) || exit 1
trap 'rm -rf "$runtime_dir"' EXIT

output=$(XDG_RUNTIME_DIR=$runtime_dir "$analyze" verify --user --man=no "$unit" 2>&1)
status=$?
if [ -n "$output" ]; then
  printf '%s\n' "$output" >&2
fi
if [ "$status" -ne 0 ] || [ -n "$output" ]; then
  echo "systemd-analyze verify found problems in $unit" >&2
  exit 1
fi
echo "ok: systemd-analyze verify --user $unit"
