# Real peers for the demo and the benchmarks: a private mosquitto on a free loopback port.
# shellcheck shell=bash

# Prints a TCP port on 127.0.0.1 that nothing listens on.
lockhub_free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

# lockhub_start_broker DIR PORT: starts mosquitto in the background, logging to DIR/mosquitto.log;
# sets LOCKHUB_BROKER_PID.
lockhub_start_broker() {
    local dir=$1 port=$2
    cat >"$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
user root
CONF
    mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
    LOCKHUB_BROKER_PID=$!
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "mosquitto did not start; its log:" >&2
    cat "$dir/mosquitto.log" >&2
    return 1
}

# lockhub_start_bus DIR: a private dbus-daemon whose policy lets anyone own any name (the
# simulator owns org.bluez on it); sets LOCKHUB_BUS_ADDRESS and LOCKHUB_BUS_PID.
lockhub_start_bus() {
    local dir=$1
    LOCKHUB_BUS_ADDRESS="unix:path=$dir/bus.sock"
    cat >"$dir/bus.conf" <<CONF
<busconfig><type>session</type><listen>$LOCKHUB_BUS_ADDRESS</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>
CONF
    dbus-daemon --config-file="$dir/bus.conf" --nofork --nosyslog >"$dir/dbus.log" 2>&1 &
    LOCKHUB_BUS_PID=$!
    for _ in $(seq 1 100); do
        [[ -S $dir/bus.sock ]] && return 0
        sleep 0.05
    done
    echo "dbus-daemon did not start; its log:" >&2
    cat "$dir/dbus.log" >&2
    return 1
}
