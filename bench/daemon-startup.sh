#!/usr/bin/env bash
# Start-up cost of lockhubd: time from exec to the retained `online` reaching a subscriber (median
# of N runs, fresh state directory each time), resident memory once online, stripped binary size.
# Baseline in the same run: the time for `mosquitto_pub` to start, connect and deliver one
# message to the same subscriber, i.e. the floor any MQTT client pays on this machine. Prints
# "<key> <value>" lines for scripts/bench.
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
# "<key> <value>" lines for scripts/bench (times in ms, sizes in KiB).
median_of() { printf '%s\n' "$@" | median; }
awk -v s="$(median_of "${startup[@]}")" -v b="$(median_of "${baseline[@]}")" \
    'BEGIN { printf "startup_ms %.1f\nstartup_baseline_ms %.1f\n", s / 1000, b / 1000 }'
echo "rss_startup_kib $(median_of "${rss[@]}")"
echo "binary_stripped_kib $(($(stat -c %s "$stripped") / 1024))"
echo "binary_kib $(($(stat -c %s "$lockhubd") / 1024))"
