#!/usr/bin/env bash
# Start-up cost of lockhubd: time from exec to the retained `online` reaching a subscriber (median
# of N runs, fresh state directory each time), resident memory once online, stripped binary size.
# Baseline in the same run: the time for `mosquitto_pub` to start, connect and deliver one
# message to the same subscriber, i.e. the floor any MQTT client pays on this machine.
#   bench/daemon-startup.sh LOCKHUBD [RUNS]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/peers.sh"
lockhubd=$1
runs=${2:-10}
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT

port=$(lockhub_free_port)
lockhub_start_broker "$dir" "$port"
echo "{\"mqtt\": {\"port\": $port}}" >"$dir/lockhubd.json"

now_us() { echo $(($(date +%s%N) / 1000)); }
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# Waits for the first message on $1, then prints the time it arrived.
arrival() {
    mosquitto_sub -p "$port" -t "$1" -C 1 -W 10 >/dev/null
    now_us
}

startup=() baseline=() rss=()
for i in $(seq 1 "$runs"); do
    mosquitto_pub -p "$port" -t lockhub/bridge/state -r -n  # clear the retained state
    mosquitto_pub -p "$port" -t bench/ping -r -n
    arrival bench/ping >"$dir/arrival" &
    sub=$!
    sleep 0.2
    start=$(now_us)
    mosquitto_pub -p "$port" -t bench/ping -m x -r
    wait $sub
    baseline+=($(($(cat "$dir/arrival") - start)))

    arrival lockhub/bridge/state >"$dir/arrival" &
    sub=$!
    sleep 0.2
    start=$(now_us)
    "$lockhubd" --config "$dir/lockhubd.json" --state-dir "$dir/state-$i" 2>/dev/null &
    daemon=$!
    wait $sub
    startup+=($(($(cat "$dir/arrival") - start)))
    rss+=("$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")")
    kill -TERM $daemon
    wait $daemon
done

stripped=$dir/lockhubd.stripped
strip -o "$stripped" "$lockhubd"
s=$(printf '%s\n' "${startup[@]}" | median)
b=$(printf '%s\n' "${baseline[@]}" | median)
awk -v s="$s" -v b="$b" -v n="$runs" 'BEGIN {
    printf "lockhubd start-up to retained online (median of %d): %.1f ms\n", n, s / 1000
    printf "baseline mosquitto_pub start to delivery (median):  %.1f ms (ratio %.2f)\n", b / 1000, s / b
}'
printf 'RSS once online (median): %d KiB\n' "$(printf '%s\n' "${rss[@]}" | median)"
printf 'binary size stripped: %d KiB (unstripped %d KiB)\n' \
    $(($(stat -c %s "$stripped") / 1024)) $(($(stat -c %s "$lockhubd") / 1024))
