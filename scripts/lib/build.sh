# Shared by scripts/demo, scripts/test and scripts/bench: one place that knows how to configure and
# build, so every entry point produces the same binaries.
# shellcheck shell=bash

LOCKHUB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCKHUB_BUILD=${LOCKHUB_BUILD:-$LOCKHUB_ROOT/build}

lockhub_build() {  # lockhub_build [extra cmake args...]
    "$LOCKHUB_ROOT/scripts/install-deps"
    local werror=OFF
    [[ ${CI:-} == true ]] && werror=ON
    # A developer's ccache, when installed, makes rebuilds across checkouts cheap; CI has none.
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$LOCKHUB_ROOT" -B "$LOCKHUB_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DLOCKHUB_WERROR=$werror "${launcher[@]}" "$@" >/dev/null
    cmake --build "$LOCKHUB_BUILD" -j "$(nproc)"
}
