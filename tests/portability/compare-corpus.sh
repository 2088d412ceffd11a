#!/usr/bin/env bash
# Runs the corpus runner of a native build and of a cross build (through qemu) over the same
# corpora and fails on the first difference, printing a short diff.
# usage: compare-corpus.sh NATIVE_RUNNER CROSS_RUNNER QEMU SYSROOT [CORPUS_ROOT]
set -euo pipefail
native=$1 cross=$2 qemu=$3 sysroot=$4
corpus=${5:-$(cd "$(dirname "$0")/../fuzz/corpus" && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$native" "$corpus" >"$tmp/native.txt" 2>"$tmp/native.err"
"$qemu" -L "$sysroot" "$cross" "$corpus" >"$tmp/cross.txt" 2>"$tmp/cross.err"
lines=$(wc -l <"$tmp/native.txt")
if ! cmp -s "$tmp/native.txt" "$tmp/cross.txt"; then
    echo "FAIL: $(basename "$cross") under $(basename "$qemu") differs from the native build on" \
        "$(diff "$tmp/native.txt" "$tmp/cross.txt" | grep -c '^<' || true) of $lines inputs:"
    diff "$tmp/native.txt" "$tmp/cross.txt" | cut -c1-400 | head -20
    exit 1
fi
echo "ok: $lines corpus inputs decode identically natively and under $(basename "$qemu")"
