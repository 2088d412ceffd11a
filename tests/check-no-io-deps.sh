#!/usr/bin/env bash
# Fails if the given binary depends on an I/O library that the pure layers must not use.
set -euo pipefail
needed=$(readelf -d "$1" | awk '/NEEDED/ {print $NF}')
bad=$(grep -E 'sdbus|paho|sqlite|systemd' <<<"$needed" || true)
if [[ -n $bad ]]; then
    echo "pure test binary links I/O libraries: $bad" >&2
    exit 1
fi
echo "ok: $(tr '\n' ' ' <<<"$needed")"
