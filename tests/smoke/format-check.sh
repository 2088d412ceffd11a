#!/usr/bin/env bash
# Fails when a C++ file of the tree is not clang-format clean (the repository's .clang-format).
set -euo pipefail
cd "$1"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.inl')
else
    mapfile -t files < <(find src tests bench -name '*.cpp' -o -name '*.h' -o -name '*.inl')
fi
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format clean: ${#files[@]} files"
