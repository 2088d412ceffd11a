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

# The clang build under ASan and UBSan that scripts/fuzz (the libFuzzer targets) and
# scripts/sanitize (the unit and integration suites) share: both configure it alike, so neither
# rebuilds what the other compiled, and each builds only the targets it runs.
LOCKHUB_ASAN_BUILD=${LOCKHUB_ASAN_BUILD:-$LOCKHUB_ROOT/build-asan}

lockhub_build_sanitized() {  # lockhub_build_sanitized target...
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$LOCKHUB_ROOT" -B "$LOCKHUB_ASAN_BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOCKHUB_SANITIZE=ON -DLOCKHUB_FUZZ=ON \
        -DLOCKHUB_WERROR=ON "${launcher[@]}" >/dev/null
    cmake --build "$LOCKHUB_ASAN_BUILD" --target "$@" -j "$(nproc)"
}
