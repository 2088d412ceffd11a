#!/usr/bin/env bash
# Runs ./scripts/demo the way a newcomer would and checks that its story shows up on MQTT: the
# bridge comes online, the three simulated locks pair, the fingerprint and keypad unlocks become
# events, the battery change reaches the state, the MQTT unlock succeeds, the sleeping battery
# lock's fingerprint arrives, and the bridge goes offline at the end.
set -euo pipefail
root=$1
build=$2
out=$(LOCKHUB_BUILD=$build "$root/scripts/demo" --seconds 1 --no-build 2>&1)
status=0
expect() {  # expect PREFIX [TEXT...]: some line starts with PREFIX and contains every TEXT
    local lines
    lines=$(grep -F -- "$1" <<<"$out" | grep -- "^$1" || true)
    for text in "${@:2}"; do
        lines=$(grep -F -- "$text" <<<"$lines" || true)
    done
    if [[ -z $lines ]]; then
        echo "missing from the demo's output: a line $1 … with: ${*:2}" >&2
        status=1
    fi
}
expect 'mqtt  lockhub/bridge/state online'
expect 'mqtt  lockhub/bridge/info {'
expect 'mqtt  lockhub/bridge/response/lock/pair' '"lock":"front-door"' '"status":"ok"'
expect 'mqtt  lockhub/bridge/response/lock/pair' '"lock":"back-door"' '"status":"ok"'
expect 'mqtt  lockhub/front-door/availability online'
expect 'mqtt  lockhub/front-door/event' '"event":"unlock"' '"method":"fingerprint"' '"credential":3'
expect 'mqtt  lockhub/front-door/event' '"event":"unlock"' '"method":"dynamic"'
expect 'mqtt  lockhub/back-door/state' '"battery":35'
expect 'mqtt  lockhub/back-door/set/result' '"result":"ok"' '"transaction":"ha-1"'
expect 'mqtt  lockhub/bridge/response/lock/pair' '"lock":"garage"' '"mode":"on_demand"'
expect 'mqtt  lockhub/garage/event' '"event":"unlock"' '"method":"fingerprint"' '"credential":2'
expect 'mqtt  lockhub/bridge/response/health' '"status":"ok"' '"transaction":"demo-1"'
expect 'mqtt  lockhub/bridge/state offline'
((status == 0)) || { echo "--- demo output ---" >&2; echo "$out" >&2; }
exit $status
