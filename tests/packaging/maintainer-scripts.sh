#!/usr/bin/env bash
# Runs the lockhub package's maintainer scripts through an install, an upgrade, a remove and a
# purge, and checks what they do. Nothing on the machine is touched: the scripts run inside a
# private mount namespace (unshare -m) with tmpfs over /var/lib and /run, and with
# deb-systemd-helper, deb-systemd-invoke and systemctl replaced by stubs that log their arguments.
# usage: maintainer-scripts.sh SCRIPT_DIR   (packaging/debian/lockhub; needs root, else skips: 77)
set -euo pipefail
scripts=$(cd "$1" && pwd)
if ((EUID != 0)); then
    echo "skip: needs root for a private mount namespace"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
for stub in deb-systemd-helper deb-systemd-invoke systemctl; do
    cat >"$work/bin/$stub" <<STUB
#!/bin/sh
echo "$stub \$*" >>"$work/calls"
# was-enabled answers as on a first install unless the test said otherwise
[ "\$1 \$2" = "--quiet was-enabled" ] && exit "\$(cat "$work/was-enabled" 2>/dev/null || echo 0)"
exit 0
STUB
    chmod +x "$work/bin/$stub"
done

# Everything below runs in the namespace; its /var/lib and /run are empty tmpfs.
unshare --mount --propagation private bash -euo pipefail -s "$scripts" "$work" <<'INNER'
scripts=$1 work=$2
mount -t tmpfs tmpfs /var/lib
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/system
export PATH=$work/bin:$PATH
status=0
step() {  # step NAME SCRIPT ARGS...: runs one script, then prints and resets the calls
    local name=$1 script=$2
    shift 2
    : >"$work/calls"
    sh "$scripts/$script" "$@"
    calls=$(tr '\n' ';' <"$work/calls")
    echo "$name: $calls"
}
want() {  # want TEXT: the last step's calls contain TEXT
    [[ $calls == *"$1"* ]] || { echo "FAIL: expected '$1'"; status=1; }
}
dont() {
    [[ $calls != *"$1"* ]] || { echo "FAIL: did not expect '$1'"; status=1; }
}

step "first install" postinst configure
want "deb-systemd-helper unmask lockhubd.service"
want "deb-systemd-helper enable lockhubd.service"
want "systemctl --system daemon-reload"
want "deb-systemd-invoke start lockhubd.service"

# The administrator disabled the service; an upgrade must not enable it again.
echo 1 >"$work/was-enabled"
step "upgrade of a disabled unit" postinst configure 0.0.9
want "deb-systemd-helper update-state lockhubd.service"
dont "deb-systemd-helper enable"
want "deb-systemd-invoke restart lockhubd.service"
echo 0 >"$work/was-enabled"

step "upgrade: old prerm" prerm upgrade 0.1.0
dont "stop"

mkdir -p /var/lib/private/lockhub && ln -s private/lockhub /var/lib/lockhub
echo db >/var/lib/private/lockhub/lockhub.db
step "remove: prerm" prerm remove
want "deb-systemd-invoke stop lockhubd.service"
step "remove: postrm" postrm remove
want "deb-systemd-helper mask lockhubd.service"
[[ -f /var/lib/lockhub/lockhub.db ]] || { echo "FAIL: remove deleted the state"; status=1; }

step "purge: postrm" postrm purge
want "deb-systemd-helper purge lockhubd.service"
want "deb-systemd-helper unmask lockhubd.service"
[[ ! -e /var/lib/lockhub && ! -e /var/lib/private/lockhub ]] ||
    { echo "FAIL: purge kept the state directory"; status=1; }

# Without systemd running (a chroot, an image build) nothing is started or reloaded.
rmdir /run/systemd/system
step "install without systemd running" postinst configure
want "deb-systemd-helper enable lockhubd.service"
dont "systemctl"
dont "deb-systemd-invoke"
exit $status
INNER
echo "ok: postinst, prerm and postrm behave as dh_installsystemd's"
