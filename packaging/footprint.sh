#!/usr/bin/env bash
# Footprint of a built lockhub package (docs/packaging.md): the stripped size of the binaries it
# ships, and the time from exec to the retained `online` on a private mosquitto plus the resident
# memory once online (median of RUNS). An ARM package runs under qemu-user: those two figures are
# emulated, include qemu itself, and are only indicative; they say nothing about a real Pi.
#   usage: packaging/footprint.sh DEB_DIR ARCH [RUNS]
set -euo pipefail
# shellcheck source=scripts/lib/peers.sh
source "$(dirname "$0")/../scripts/lib/peers.sh"
debs=$1 arch=$2 runs=${3:-5}
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT

for deb in "$debs"/lockhub_*_"$arch".deb "$debs"/lockhub-sim_*_"$arch".deb; do
    dpkg-deb -x "$deb" "$dir/root"
done
emulator=()
case $arch in
    arm64) emulator=(/usr/bin/qemu-aarch64-static) ;;
    armhf) emulator=(/usr/bin/qemu-arm-static) ;;
esac
if ((${#emulator[@]})); then
    emulator+=(-L "${LOCKHUB_CROSS_CACHE:-/var/cache/lockhub-cross}/$arch/sysroot")
fi
for binary in lockhubd lockhub-sim; do
    printf '%s %s stripped: %d bytes\n' "$arch" "$binary" "$(stat -c %s "$dir/root/usr/bin/$binary")"
done

port=$(lockhub_free_port)
lockhub_start_broker "$dir" "$port"
cat >"$dir/lockhubd.json" <<JSON
{"mqtt": {"port": $port}, "profiles_dir": "$dir/root/usr/share/lockhub/profiles",
 "bluetooth": {"bus": "unix:path=$dir/no-bus.sock"}}
JSON
now_us() { echo $(($(date +%s%N) / 1000)); }
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
startup=() rss=()
for i in $(seq 1 "$runs"); do
    mosquitto_pub -p "$port" -t lockhub/bridge/state -r -n
    (mosquitto_sub -p "$port" -t lockhub/bridge/state -C 1 -W 60 >/dev/null && now_us >"$dir/arrival") &
    sub=$!
    sleep 0.3
    start=$(now_us)
    "${emulator[@]}" "$dir/root/usr/bin/lockhubd" --config "$dir/lockhubd.json" \
        --state-dir "$dir/state-$i" 2>"$dir/daemon.log" &
    daemon=$!
    wait $sub || { cat "$dir/daemon.log" >&2; exit 1; }
    startup+=($(($(cat "$dir/arrival") - start)))
    sleep 0.5
    rss+=("$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")")
    kill -TERM $daemon
    wait $daemon || true
done
label=native
((${#emulator[@]})) && label="emulated by $(basename "${emulator[0]}"), indicative only"
awk -v s="$(printf '%s\n' "${startup[@]}" | median)" -v n="$runs" -v a="$arch" -v l="$label" \
    'BEGIN { printf "%s lockhubd start-up to retained online (median of %d, %s): %.0f ms\n", a, n, l, s / 1000 }'
printf '%s lockhubd RSS once online (median, %s): %d KiB\n' "$arch" "$label" \
    "$(printf '%s\n' "${rss[@]}" | median)"
