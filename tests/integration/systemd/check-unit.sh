#!/bin/sh
# Checks systemd/lockhubd.service with systemd's own tools (issue 2, item 10):
#   1. `systemd-analyze verify` prints nothing (it exits 0 even on unknown keys and bad values,
#      so any output at all is a failure);
#   2. `systemd-analyze security --offline=true` scores the overall exposure at most 1.5;
#   3. the unit keeps SupplementaryGroups=bluetooth (where BlueZ's policy admits only that group,
#      the service cannot reach org.bluez without it: bluetooth-group-policy.sh).
# Both work without systemd as PID 1 (this container has none): they only parse the unit.
#
# verify also requires ExecStart's binary to exist, and /usr/bin/lockhubd is not installed here.
# The check therefore runs on a temp copy whose ExecStart points at the built lockhubd (second
# argument) when it exists, else at /bin/true; nothing else in the copy differs.
#
# --man=no: the unit's Documentation=man:lockhubd(8) is installed by the package, not here.
#
# Before trusting silence, a copy with one unknown key must make verify speak: that proves
# verify really parses units here rather than passing vacuously.
#
# usage: check-unit.sh UNIT [LOCKHUBD]
set -eu

unit=$1
daemon=${2:-}
max_exposure=1.5

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name=$(basename "$unit")

if [ -n "$daemon" ] && [ -x "$daemon" ]; then
    exec_start=$daemon
else
    exec_start=/bin/true
    echo "note: lockhubd not built; verifying with ExecStart=/bin/true"
fi

# verify is strict about the unit's file name (it derives the unit type from it).
mkdir "$tmp/copy" "$tmp/canary"
sed "s|^ExecStart=/usr/bin/lockhubd |ExecStart=$exec_start |" "$unit" >"$tmp/copy/$name"
grep -q "^ExecStart=$exec_start " "$tmp/copy/$name" || {
    echo "FAIL: no 'ExecStart=/usr/bin/lockhubd ' line to point at $exec_start"
    exit 1
}
sed 's|^\[Service\]$|[Service]\nLockhubCanaryKey=1|' "$tmp/copy/$name" >"$tmp/canary/$name"
if [ -z "$(systemd-analyze verify --man=no "$tmp/canary/$name" 2>&1)" ]; then
    echo "FAIL: systemd-analyze verify reported nothing for an unknown key; it cannot be trusted here"
    exit 1
fi

verify_output=$(systemd-analyze verify --man=no "$tmp/copy/$name" 2>&1) || true
if [ -n "$verify_output" ]; then
    echo "FAIL: systemd-analyze verify is not clean:"
    echo "$verify_output"
    exit 1
fi
echo "ok: systemd-analyze verify is clean"

security_output=$(systemd-analyze security --offline=true "$tmp/copy/$name" 2>&1) || true
exposure=$(echo "$security_output" |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9.]*\).*/\1/p')
if [ -z "$exposure" ]; then
    echo "FAIL: no exposure level in the output of systemd-analyze security:"
    echo "$security_output"
    exit 1
fi
if awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e > m) }'; then
    echo "FAIL: exposure $exposure is above $max_exposure; the items that cost the most:"
    echo "$security_output" | grep '^✗' || true
    exit 1
fi
echo "ok: exposure $exposure (at most $max_exposure)"

if ! grep -qx 'SupplementaryGroups=bluetooth' "$unit"; then
    echo "FAIL: $name lost SupplementaryGroups=bluetooth; org.bluez may refuse the service without it"
    exit 1
fi
echo "ok: the service holds the bluetooth group"
