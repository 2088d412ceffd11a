#!/usr/bin/env bash
# `cmake --install` into a scratch DESTDIR puts the binary, the unit and the example config where
# the unit and the README expect them.
set -euo pipefail
build=$1
prefix=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest cmake --install "$build" >/dev/null
status=0
for path in "$prefix/bin/lockhubd" "$prefix/lib/systemd/system/lockhubd.service" \
    "/etc/lockhub/lockhubd.json"; do
    if [[ ! -e $dest$path ]]; then
        echo "not installed: $path" >&2
        status=1
    fi
done
grep -q "^ExecStart=$prefix/bin/lockhubd " "$dest$prefix/lib/systemd/system/lockhubd.service" ||
    { echo "the unit's ExecStart does not name $prefix/bin/lockhubd" >&2; status=1; }
((status == 0)) && echo "installed: $(cd "$dest" && find . -type f | sort | tr '\n' ' ')"
exit $status
