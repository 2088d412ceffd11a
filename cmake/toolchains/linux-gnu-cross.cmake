# Shared by aarch64-linux-gnu.cmake and armhf-linux-gnu.cmake, which set LOCKHUB_CROSS_ARCH (the
# Debian architecture), LOCKHUB_CROSS_TRIPLET, LOCKHUB_CROSS_QEMU and CMAKE_SYSTEM_PROCESSOR.
#
# The compiler is Debian's cross g++ (g++-<triplet>); headers and libraries come from the sysroot
# that `scripts/install-deps --arch <arch>` fills from Debian's archive (scripts/lib/sysroot.sh).
# Tests run through qemu-user: ctest prefixes every test whose command is a target, and
# gtest_discover_tests lists the tests through it too.
set(CMAKE_SYSTEM_NAME Linux)

# An environment variable rather than a cache entry, so that try_compile projects see it too.
if(DEFINED ENV{LOCKHUB_CROSS_CACHE})
    set(_lockhub_cross_cache "$ENV{LOCKHUB_CROSS_CACHE}")
else()
    set(_lockhub_cross_cache /var/cache/lockhub-cross)
endif()
set(LOCKHUB_SYSROOT "${_lockhub_cross_cache}/${LOCKHUB_CROSS_ARCH}/sysroot")
if(NOT EXISTS "${LOCKHUB_SYSROOT}/usr/include")
    message(FATAL_ERROR "no ${LOCKHUB_CROSS_ARCH} sysroot at ${LOCKHUB_SYSROOT}: "
                        "run scripts/install-deps --arch ${LOCKHUB_CROSS_ARCH}")
endif()
set(CMAKE_SYSROOT "${LOCKHUB_SYSROOT}")
set(CMAKE_C_COMPILER ${LOCKHUB_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${LOCKHUB_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${LOCKHUB_CROSS_TRIPLET})

# -L: qemu loads the target's dynamic loader and libraries from the sysroot.
set(CMAKE_CROSSCOMPILING_EMULATOR ${LOCKHUB_CROSS_QEMU} -L ${LOCKHUB_SYSROOT})

# Programs (ninja, pkg-config, systemd-analyze, mosquitto) are the build machine's; everything
# that is linked or included comes from the sysroot only.
set(CMAKE_FIND_ROOT_PATH "${LOCKHUB_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (libsystemd) reads the target's .pc files and prefixes their paths with the sysroot.
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_LIBDIR}
    "${LOCKHUB_SYSROOT}/usr/lib/${LOCKHUB_CROSS_TRIPLET}/pkgconfig:${LOCKHUB_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${LOCKHUB_SYSROOT}")

# The .deb's Architecture field (cmake/Packaging.cmake).
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${LOCKHUB_CROSS_ARCH})
