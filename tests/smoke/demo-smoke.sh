#!/usr/bin/env bash
# Runs ./scripts/demo the way a newcomer would and checks that its story shows up on MQTT: the
# bridge comes online, both simulated locks pair, the fingerprint and keypad unlocks become
# events, the battery change reaches the state, the MQTT unlock succeeds, and the bridge goes
# offline at the end.
set -euo pipefail
root=$1
build=$2
out=$(LOCKHUB_BUILD=$build "$root/scripts/demo" --seconds 1 --no-build 2>&1)
status=0
expect() {
    if ! grep -qF -- "$1" <<<"$out"; then
        echo "missing from the demo's output: $1" >&2
        status=1
    fi
}
expect "mqtt  lockhub/bridge/state online"
expect "mqtt  lockhub/bridge/info {"
expect '"lock":"front-door","mac":'
expect '"lock":"back-door","mac":'
expect "mqtt  lockhub/front-door/availability online"
expect '"credential":3,"dp":12,"event":"unlock"'
expect '"event":"unlock","event_id"'
expect '"method":"dynamic"'
expect 'mqtt  lockhub/back-door/state {"battery":35'
expect 'mqtt  lockhub/back-door/set/result {"result":"ok","state":"UNLOCK","transaction":"ha-1"}'
expect '"status":"ok","transaction":"demo-1"'
expect "mqtt  lockhub/bridge/state offline"
((status == 0)) || { echo "--- demo output ---" >&2; echo "$out" >&2; }
exit $status
