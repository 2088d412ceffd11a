#!/usr/bin/env bash
# Runs ./scripts/demo the way a newcomer would (for a few seconds) and checks that the MQTT
# traffic it promises shows up: the bridge comes online, answers a request, and goes offline.
set -euo pipefail
root=$1
build=$2
out=$(LOCKHUB_BUILD=$build "$root/scripts/demo" --seconds 3 --no-build 2>&1)
status=0
expect() {
    if ! grep -qF -- "$1" <<<"$out"; then
        echo "missing from the demo's output: $1" >&2
        status=1
    fi
}
expect "mqtt  lockhub/bridge/state online"
expect "mqtt  lockhub/bridge/info {"
expect '"status":"ok","transaction":"demo-1"'
expect "mqtt  lockhub/bridge/state offline"
((status == 0)) || { echo "--- demo output ---" >&2; echo "$out" >&2; }
exit $status
