#!/usr/bin/env bash
# Why the unit's SupplementaryGroups=bluetooth is enough where BlueZ's D-Bus policy admits only
# that group (Raspberry Pi OS): on a private dbus-daemon (the machine's own binary) whose policy
# lets root own org.bluez and only a group call it, with lockhub-sim as org.bluez, a caller that
#   1. is not in the group is refused (the policy really bites);
#   2. holds the group only as a supplementary group of its process, as systemd gives it to a
#      DynamicUser= service (its uid is a member of nothing in /etc/group), is admitted;
#   3. does the same from inside a user namespace that maps only its own uid and gid, as
#      PrivateUsers=yes does (the group shows there as the overflow gid), is still admitted.
# 2 and 3 hold because dbus-daemon reads the groups from the socket (SO_PEERGROUPS), not from
# the user database. The stand-in group is "audio", which every Debian system has; the bluetooth
# group exists only once bluez is installed.
# usage: bluetooth-group-policy.sh LOCKHUB_SIM   (needs root for setpriv; skips, 77, otherwise)
set -euo pipefail
sim=$1
group=audio
nobody=65534
if ((EUID != 0)); then
    echo "skip: needs root to switch to uid $nobody"
    exit 77
fi
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
chmod 755 "$dir"
address=unix:path=$dir/bus.sock
cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>$address</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
  </policy>
  <!-- bluez's bluetooth.conf as Raspberry Pi OS ships it: no allow for the default context;
       org.lockhub.Sim is the simulator's own control name -->
  <policy user="root">
    <allow own="org.bluez"/>
    <allow own="org.lockhub.Sim"/>
    <allow send_destination="org.bluez"/>
  </policy>
  <policy group="$group">
    <allow send_destination="org.bluez"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$dir/bus.conf" --nofork --nosyslog >"$dir/dbus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
    [[ -S $dir/bus.sock ]] && break
    sleep 0.05
done
chmod 666 "$dir/bus.sock"
"$sim" --bus "$address" --locks 1 --credentials "$dir/locks.json" >"$dir/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do
    busctl --address="$address" status org.bluez >/dev/null 2>&1 && break
    sleep 0.05
done

call='busctl --address='"$address"' call org.bluez / org.freedesktop.DBus.ObjectManager GetManagedObjects'
status=0
expect() {  # expect allowed|denied WHAT COMMAND...
    local want=$1 what=$2 out
    shift 2
    out=$("$@" 2>&1) && got=allowed || got=denied
    [[ $got == denied && $out != *"Access denied"* ]] && got="failed ($out)"
    if [[ $got == "$want" ]]; then
        echo "ok: $what: $got"
    else
        echo "FAIL: $what: $got, expected $want"
        status=1
    fi
}
expect denied "uid $nobody without the group" \
    setpriv --reuid=$nobody --regid=$nobody --clear-groups sh -c "$call"
expect allowed "uid $nobody with $group as a supplementary group only" \
    setpriv --reuid=$nobody --regid=$nobody --groups=$group sh -c "$call"
expect allowed "the same inside a user namespace mapping only uid/gid $nobody" \
    setpriv --reuid=$nobody --regid=$nobody --groups=$group \
    unshare --user --map-user=$nobody --map-group=$nobody sh -c "$call"
if ((status != 0)); then
    echo "--- dbus-daemon:"; cat "$dir/dbus.log"
    echo "--- lockhub-sim:"; cat "$dir/sim.log"
fi
exit $status
