# Cross build for Debian arm64 (64-bit ARMv8: Raspberry Pi 3, 4, 5 and Zero 2 on a 64-bit OS).
# usage: cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
# after `scripts/install-deps --arch arm64`.
set(LOCKHUB_CROSS_ARCH arm64)
set(LOCKHUB_CROSS_TRIPLET aarch64-linux-gnu)
set(LOCKHUB_CROSS_QEMU /usr/bin/qemu-aarch64-static)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu-cross.cmake)
