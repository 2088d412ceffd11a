#!/usr/bin/env bash
# usage: sysroot.sh arm64|armhf  (called by scripts/install-deps --arch)
#
# Fills $LOCKHUB_CROSS_CACHE/<arch>/sysroot (default /var/cache/lockhub-cross/<arch>/sysroot) with
# the target architecture's libraries and headers, straight from Debian's archive: apt resolves
# and downloads them with a private state directory, and dpkg-deb unpacks them. The machine's
# dpkg database and its list of architectures stay as they are.
#
# Why not `dpkg --add-architecture` and `apt-get install libfoo-dev:armhf` (multiarch):
#  - every Multi-Arch: same package must have the same version for both architectures, so one
#    security update published for amd64 before armhf (seen: libssl-dev 3.0.22 for amd64, 3.0.20
#    for armhf) makes the install impossible without holding back the native package;
#  - a foreign index that fails to download makes every `apt-get update` on the machine fail
#    (seen: bookworm-security's binary-armhf index), which breaks the native install for everyone;
#  - a second installed instance of, say, libssl-dev changes what `dpkg-query -W libssl-dev`
#    prints, which the native check relies on.
# Here a missing security index only costs the security updates inside the sysroot (a warning);
# the packages themselves never run on a Pi: they are only what the cross build links against.
#
# Idempotent: a stamp records the package list; when it matches, nothing is fetched or printed.
set -euo pipefail

arch=$1
top=${LOCKHUB_CROSS_CACHE:-/var/cache/lockhub-cross}/$arch
sysroot=$top/sysroot
# What the cross build links against (the header-only libraries are architecture-independent but
# are looked up inside the sysroot like the rest). libstdc++-12-dev and libc6-dev are the target's
# own C++ and C development files, which the cross compiler uses once it has a --sysroot.
packages=(libc6-dev libstdc++-12-dev
    libsdbus-c++-dev libpaho-mqttpp-dev libpaho-mqtt-dev libsystemd-dev libssl-dev
    libsqlite3-dev nlohmann-json3-dev libexpected-dev libgtest-dev libgmock-dev libsodium-dev)
stamp="$arch dpkg-db ${packages[*]}"
[[ -f $top/stamp && $(<"$top/stamp") == "$stamp" && -d $sysroot/usr ]] && exit 0

echo "install-deps: fetching the $arch sysroot into $sysroot: ${packages[*]}"
mkdir -p "$top/apt/lists/partial" "$top/apt/archives/partial" "$top/apt/etc/preferences.d" \
    "$top/apt/etc/sources.list.d"
: >"$top/apt/status"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
    for suite in bookworm bookworm-updates; do
        echo "deb [arch=$arch signed-by=$keyring] http://deb.debian.org/debian $suite main"
    done
    echo "deb [arch=$arch signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main"
} >"$top/apt/etc/sources.list"
apt=(apt-get -qq -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
    -o "Dir::State=$top/apt" -o "Dir::State::status=$top/apt/status" -o "Dir::Cache=$top/apt"
    -o "Dir::Etc::SourceList=$top/apt/etc/sources.list"
    -o "Dir::Etc::SourceParts=$top/apt/etc/sources.list.d"
    -o "Dir::Etc::Preferences=$top/apt/etc/preferences"
    -o "Dir::Etc::PreferencesParts=$top/apt/etc/preferences.d"
    -o APT::Install-Recommends=0 -o Debug::NoLocking=1)
if ! "${apt[@]}" update 2>"$top/update.log"; then
    echo "install-deps: warning: some $arch package indices failed to download; going on without them:" >&2
    grep '^E: Failed' "$top/update.log" >&2 || cat "$top/update.log" >&2
fi
rm -f "$top"/apt/archives/*.deb
"${apt[@]}" install -y --download-only "${packages[@]}" >/dev/null

rm -rf "$sysroot.new"
mkdir -p "$sysroot.new"
for deb in "$top"/apt/archives/*.deb; do
    dpkg-deb -x "$deb" "$sysroot.new"
done
# Debian's absolute symlinks (/usr/lib/<triplet>/libm.so -> /lib/<triplet>/libm.so.6) would point
# at the build machine's own files: make them relative, inside the sysroot.
while IFS= read -r link; do
    target=$(readlink "$link")
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$sysroot.new$target")" "$link"
done < <(find "$sysroot.new" -type l -lname '/*')
# A dpkg database for these packages, beside the sysroot, for `dpkg-shlibdeps --admindir` (the
# packages' Depends: come from their symbols and shlibs files, as on a Debian build machine). It
# lists each file at its sysroot path, where dpkg-shlibdeps finds the libraries.
admindir=$top/dpkg
rm -rf "$admindir"
mkdir -p "$admindir/info" "$admindir/updates" "$admindir/triggers"
echo "$arch" >"$admindir/arch"
: >"$admindir/status"
for deb in "$top"/apt/archives/*.deb; do
    name=$(dpkg-deb -f "$deb" Package)
    dpkg-deb -f "$deb" | sed '1a Status: install ok installed' >>"$admindir/status"
    echo >>"$admindir/status"
    control=$(mktemp -d)
    dpkg-deb -e "$deb" "$control"
    dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' -e '/^$/d' \
        -e "s|^|$sysroot|" >"$control/list"
    # dpkg names the files of a Multi-Arch: same package name:arch, the others name; write both.
    for base in "$name" "$name:$arch"; do
        cp "$control/list" "$admindir/info/$base.list"
        for extra in symbols shlibs; do
            [[ -f $control/$extra ]] && cp "$control/$extra" "$admindir/info/$base.$extra"
        done
    done
    rm -rf "$control"
done
rm -rf "$sysroot"
mv "$sysroot.new" "$sysroot"
echo "$stamp" >"$top/stamp"
