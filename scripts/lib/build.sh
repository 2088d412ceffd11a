# Shared by scripts/demo, scripts/test and scripts/bench: one place that knows how to configure and
# build, so every entry point produces the same binaries.
# shellcheck shell=bash

LOCKHUB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCKHUB_BUILD=${LOCKHUB_BUILD:-$LOCKHUB_ROOT/build}

lockhub_build() {  # lockhub_build [extra cmake args...]
    "$LOCKHUB_ROOT/scripts/install-deps"
    local werror=OFF
    [[ ${CI:-} == true ]] && werror=ON
    cmake -S "$LOCKHUB_ROOT" -B "$LOCKHUB_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DLOCKHUB_WERROR=$werror "$@" >/dev/null
    cmake --build "$LOCKHUB_BUILD" -j "$(nproc)"
}
