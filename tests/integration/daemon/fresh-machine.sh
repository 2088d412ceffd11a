#!/usr/bin/env bash
# A newcomer's first run: the built lockhubd with no configuration file, nothing installed and only
# --state-dir must come online against a broker on the default 127.0.0.1:1883. It runs in fresh
# network and mount namespaces, so port 1883 is ours even where a broker already has it, and
# whatever the machine has in /etc/lockhub or the install's data directory is hidden. Needs root
# (CI runs as root); elsewhere it is skipped.
set -euo pipefail
lockhubd=$1
datadir=$2  # where an install puts the profiles: the default profiles_dir

if [[ ${3:-} != --inside ]]; then
    if [[ $(id -u) != 0 ]] || ! unshare --net --mount true 2>/dev/null; then
        echo "skipped: needs root to create network and mount namespaces"
        exit 77
    fi
    exec unshare --net --mount --propagation private "$0" "$lockhubd" "$datadir" --inside
fi

ip link set lo up
for dir in /etc/lockhub "$datadir"; do
    if [[ -d $dir ]]; then
        mount -t tmpfs -o ro,size=4k lockhub-hidden "$dir"
    fi
done

work=$(mktemp -d)
pids=()
cleanup() {
    if ((${#pids[@]})); then
        kill "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
show() {
    echo "--- lockhubd stderr" >&2
    cat "$work/lockhubd.err" >&2 || true
    echo "--- mosquitto stderr" >&2
    cat "$work/mosquitto.err" >&2 || true
}

printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n' \
    >"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" 2>"$work/mosquitto.err" &
pids+=($!)
for _ in $(seq 100); do
    if mosquitto_pub -h 127.0.0.1 -p 1883 -t probe -m x 2>/dev/null; then
        break
    fi
    sleep 0.05
done

# As started by hand: none of systemd's variables, and a system bus that is not there rather than
# the machine's, so the test never talks to a real bluetoothd.
env -u STATE_DIRECTORY -u CREDENTIALS_DIRECTORY -u JOURNAL_STREAM -u NOTIFY_SOCKET \
    DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/no-system-bus" \
    "$lockhubd" --state-dir "$work/state" 2>"$work/lockhubd.err" &
pids+=($!)

state=$(mosquitto_sub -h 127.0.0.1 -p 1883 -t lockhub/bridge/state -C 1 -W 10 2>&1) || true
if [[ $state != online ]]; then
    echo "lockhub/bridge/state is '$state', expected 'online'" >&2
    show
    exit 1
fi
if ! grep -qF "warning profiles: $datadir/profiles does not exist" "$work/lockhubd.err"; then
    echo "no warning about the missing profiles directory" >&2
    show
    exit 1
fi
echo "online with the built-in profiles"
