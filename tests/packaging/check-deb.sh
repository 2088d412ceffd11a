#!/usr/bin/env bash
# Builds the Debian packages of a build directory with CPack (into a temporary directory, unless
# --debs DIR names packages built already), then for each package:
#   - extracts it with dpkg-deb -x into a temporary root (nothing is installed on this machine);
#   - checks the layout, the conffile, the maintainer scripts and the shlibdeps Depends:;
#   - runs the extracted lockhubd --version and --check-config on the shipped configuration, the
#     extracted lockhubctl on it, and the extracted lockhub-sim (ARM binaries through the emulator
#     given after --);
#   - runs lintian when it is installed and fails on any error (the accepted warnings are listed
#     in docs/packaging.md).
# usage: check-deb.sh [--debs DIR] BUILD_DIR ARCH [-- EMULATOR ARGS...]
set -euo pipefail

debs=
if [[ ${1:-} == --debs ]]; then
    debs=$2
    shift 2
fi
build=$1 arch=$2
shift 2
emulator=()
if [[ ${1:-} == -- ]]; then
    shift
    emulator=("$@")
fi
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ -z $debs ]]; then
    debs=$tmp/debs
    cpack --config "$build/CPackConfig.cmake" -B "$debs" >"$tmp/cpack.log" 2>&1 ||
        { cat "$tmp/cpack.log"; exit 1; }
fi

status=0
fail() {
    echo "FAIL: $*"
    status=1
}

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
for package in lockhub lockhub-sim; do
    deb=$debs/${package}_${version}_${arch}.deb
    [[ -f $deb ]] || { fail "no $deb (found: $(ls "$debs"))"; continue; }
    root=$tmp/root-$package
    dpkg-deb -x "$deb" "$root"
    field() { dpkg-deb -f "$deb" "$1"; }
    [[ $(field Architecture) == "$arch" ]] || fail "$package: Architecture $(field Architecture)"
    depends=$(field Depends)
    [[ $depends == *libc6* && $depends == *libstdc++6* ]] ||
        fail "$package: Depends lacks the shlibdeps libraries: $depends"
    echo "$package $arch: Depends: $depends"
    echo "$package $arch: $(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $NF}' | tr '\n' ' ')"
done
[[ $status == 0 ]] || exit 1

root=$tmp/root-lockhub
deb=$debs/lockhub_${version}_${arch}.deb
for path in usr/bin/lockhubd usr/lib/systemd/system/lockhubd.service etc/lockhub/lockhubd.json \
    usr/share/lockhub/profiles/tuya-ble-lock.json usr/share/man/man8/lockhubd.8.gz \
    usr/bin/lockhubctl usr/share/man/man1/lockhubctl.1.gz usr/share/doc/lockhub/copyright; do
    [[ -e $root/$path ]] || fail "lockhub: no /$path"
done
[[ ! -e $root/usr/bin/lockhub-sim ]] || fail "lockhub: carries the simulator"
[[ -e $tmp/root-lockhub-sim/usr/bin/lockhub-sim ]] || fail "lockhub-sim: no /usr/bin/lockhub-sim"

mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
[[ $(cat "$tmp/control/conffiles") == /etc/lockhub/lockhubd.json ]] ||
    fail "conffiles: $(cat "$tmp/control/conffiles")"
for script in postinst prerm postrm; do
    [[ -x $tmp/control/$script ]] || fail "no executable $script"
done
grep -q 'deb-systemd-helper enable' "$tmp/control/postinst" || fail "postinst enables nothing"
grep -q 'rm -rf /var/lib/lockhub' "$tmp/control/postrm" || fail "postrm keeps the state on purge"
grep -q '^SupplementaryGroups=bluetooth$' "$root/usr/lib/systemd/system/lockhubd.service" ||
    fail "the unit lacks SupplementaryGroups=bluetooth"
[[ $(dpkg-deb -f "$deb" Depends) == *bluez* ]] || fail "lockhub does not depend on bluez"
# The seal key pair's sealed boxes (docs/mqtt-api.md "Sealed secrets"), found by shlibdeps.
[[ $(dpkg-deb -f "$deb" Depends) == *libsodium23* ]] || fail "lockhub does not depend on libsodium23"

case $arch in
    amd64) machine="X86-64" ;;
    arm64) machine="AArch64" ;;
    armhf) machine="ARM" ;;
    *) machine="?" ;;
esac
for binary in "$root/usr/bin/lockhubd" "$root/usr/bin/lockhubctl" \
    "$tmp/root-lockhub-sim/usr/bin/lockhub-sim"; do
    readelf -h "$binary" | grep -q "Machine:.*$machine" || fail "$(basename "$binary") is not $machine"
    readelf -S "$binary" | grep -q '\.debug_info' && fail "$(basename "$binary") is not stripped"
done

out=$("${emulator[@]}" "$root/usr/bin/lockhubd" --version) || fail "lockhubd --version exits $?"
[[ $out == "lockhubd $version" ]] || fail "lockhubd --version printed '$out'"
echo "extracted lockhubd --version: $out"
out=$("${emulator[@]}" "$root/usr/bin/lockhubd" --check-config \
    --config "$root/etc/lockhub/lockhubd.json" 2>&1) || fail "--check-config exits $?: $out"
echo "extracted lockhubd --check-config on the shipped config: $out"
# A configuration that is wrong must still be refused with 78 by the extracted binary.
echo '{"mqtt": {"port": "x"}}' >"$tmp/bad.json"
code=0
"${emulator[@]}" "$root/usr/bin/lockhubd" --check-config --config "$tmp/bad.json" >/dev/null 2>&1 ||
    code=$?
[[ $code == 78 ]] || fail "--check-config on a bad configuration exits $code, not 78"
code=0
out=$("${emulator[@]}" "$tmp/root-lockhub-sim/usr/bin/lockhub-sim" --no-such-flag 2>&1) || code=$?
[[ $code == 2 && $out == *"usage: lockhub-sim"* ]] || fail "lockhub-sim: exit $code: $out"
out=$("${emulator[@]}" "$root/usr/bin/lockhubctl" --help) || fail "lockhubctl --help exits $?"
[[ $out == *"usage: lockhubctl"* ]] || fail "lockhubctl --help printed '$out'"
# The extracted lockhubctl reads the shipped configuration and finds no broker on port 1: exit 3.
code=0
out=$("${emulator[@]}" "$root/usr/bin/lockhubctl" --config "$root/etc/lockhub/lockhubd.json" \
    --broker tcp://127.0.0.1:1 --timeout 1 locks 2>&1) || code=$?
[[ $code == 3 ]] || fail "lockhubctl without a broker exits $code, not 3: $out"

# The shipped unit, as systemd itself judges it (the same check as the source tree's unit).
"$here/../integration/systemd/check-unit.sh" "$root/usr/lib/systemd/system/lockhubd.service" \
    >"$tmp/unit.log" 2>&1 || { cat "$tmp/unit.log"; fail "the shipped unit"; }

if command -v lintian >/dev/null; then
    for package in lockhub lockhub-sim; do
        # --fail-on error: warnings are reported and accepted (docs/packaging.md lists them).
        if ! lintian --fail-on error --no-tag-display-limit "$debs/${package}_${version}_${arch}.deb" \
            >"$tmp/lintian.log" 2>&1; then
            cat "$tmp/lintian.log"
            fail "lintian reports errors for $package"
        else
            echo "lintian $package $arch: $(grep -c '^[WEI]:' "$tmp/lintian.log" || true) tags," \
                "no errors$(grep '^W:' "$tmp/lintian.log" | sed 's/^W: [^:]*: / /' | sort -u | tr '\n' ';')"
        fi
    done
else
    echo "note: lintian is not installed (scripts/install-deps --arch installs it); not run"
fi

if [[ $status == 0 ]]; then
    echo "ok: lockhub and lockhub-sim $version for $arch extract and run"
fi
exit $status
