# Cross build for Debian armhf (32-bit ARMv7 hard-float: Raspberry Pi 2 and later on a 32-bit OS).
# usage: cmake -S . -B build-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/armhf-linux-gnu.cmake
# after `scripts/install-deps --arch armhf`.
set(LOCKHUB_CROSS_ARCH armhf)
set(LOCKHUB_CROSS_TRIPLET arm-linux-gnueabihf)
set(LOCKHUB_CROSS_QEMU /usr/bin/qemu-arm-static)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
# GCC notes on every std::map iterator passed by value that its ARM calling convention changed in
# GCC 7.1 (-Wpsabi); nothing here links against code built by GCC 6 or older.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
include(${CMAKE_CURRENT_LIST_DIR}/linux-gnu-cross.cmake)
