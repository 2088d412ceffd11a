# Shared by scripts/demo, scripts/test and scripts/bench: one place that knows how to configure and
# build, so every entry point produces the same binaries.
# shellcheck shell=bash

LOCKHUB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCKHUB_BUILD=${LOCKHUB_BUILD:-$LOCKHUB_ROOT/build}

# The flags of the RelWithDebInfo builds these scripts (and .ci/run) configure. -O2 always: the
# scenarios' fault timings are tuned for an optimised build. Debug info only off CI, which reads no
# core dumps: without it gcc compiles the tree in a quarter less time (docs/reliability.md, "CI
# build time"); the packages are stripped either way.
LOCKHUB_DEBUG_INFO=-g
[[ ${CI:-} == true ]] && LOCKHUB_DEBUG_INFO=-g0
LOCKHUB_RELEASE_FLAGS="-O2 $LOCKHUB_DEBUG_INFO -DNDEBUG"

lockhub_build() {  # lockhub_build [extra cmake args...]
    "$LOCKHUB_ROOT/scripts/install-deps"
    local werror=OFF
    [[ ${CI:-} == true ]] && werror=ON
    # A developer's ccache, when installed, makes rebuilds across checkouts cheap; CI has none.
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$LOCKHUB_ROOT" -B "$LOCKHUB_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$LOCKHUB_RELEASE_FLAGS" -DLOCKHUB_WERROR=$werror \
        "${launcher[@]}" "$@" >/dev/null
    cmake --build "$LOCKHUB_BUILD" -j "$(nproc)"
}

# The clang build under ASan and UBSan that scripts/fuzz (the libFuzzer targets) and
# scripts/sanitize (the unit and integration suites) share: both configure it alike, so neither
# rebuilds what the other compiled, and each builds only the targets it runs. Line tables only:
# all a report's stack needs for its file:line frames, and a fifth less compile time than -g.
# -O2 stays: -O1, ASan's usual level, compiled no faster here (docs/reliability.md).
LOCKHUB_ASAN_BUILD=${LOCKHUB_ASAN_BUILD:-$LOCKHUB_ROOT/build-asan}
LOCKHUB_ASAN_FLAGS="-O2 -gline-tables-only -DNDEBUG"

lockhub_build_sanitized() {  # lockhub_build_sanitized target...
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$LOCKHUB_ROOT" -B "$LOCKHUB_ASAN_BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$LOCKHUB_ASAN_FLAGS" \
        -DLOCKHUB_SANITIZE=ON -DLOCKHUB_FUZZ=ON \
        -DLOCKHUB_WERROR=ON "${launcher[@]}" >/dev/null
    cmake --build "$LOCKHUB_ASAN_BUILD" --target "$@" -j "$(nproc)"
}
