# Debian packages built by CPack (docs/packaging.md), one set per build directory: the native
# build gives amd64 packages, the cross builds (cmake/toolchains/) arm64 and armhf ones.
#   cpack --config <build>/CPackConfig.cmake -B <build>/packages
#
#   lockhub      lockhubd, lockhubctl, the systemd unit, the example configuration (a conffile),
#                the lock profiles, the man pages; maintainer scripts in packaging/debian/lockhub/.
#   lockhub-sim  the simulator, for trying the daemon without a radio.
#
# Install rules that name no component (src/daemon's among them) belong to "lockhub"; the root
# CMakeLists.txt sets CMAKE_INSTALL_DEFAULT_COMPONENT_NAME before adding the sources.

set(LOCKHUB_MAINTAINER "lockhub maintainers <lockhub-maintainers@users.noreply.github.com>")
set(_pkg_dir "${PROJECT_SOURCE_DIR}/packaging")
set(_gen_dir "${PROJECT_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${_gen_dir}")

# Compressed man pages and changelogs, made at configure time (gzip -n: no name or time stamp,
# so the packages are reproducible).
function(_lockhub_gzip source target)
    execute_process(COMMAND gzip -9nc "${source}" OUTPUT_FILE "${target}"
                    COMMAND_ERROR_IS_FATAL ANY)
endfunction()

foreach(page lockhubd.8 lockhubctl.1 lockhub-sim.1)
    set(VERSION "${PROJECT_VERSION}")
    configure_file("${_pkg_dir}/man/${page}" "${_gen_dir}/${page}" @ONLY)
    _lockhub_gzip("${_gen_dir}/${page}" "${_gen_dir}/${page}.gz")
endforeach()
foreach(package lockhub lockhub-sim)
    set(PACKAGE ${package})
    set(VERSION "${PROJECT_VERSION}")
    set(MAINTAINER "${LOCKHUB_MAINTAINER}")
    configure_file("${_pkg_dir}/changelog.in" "${_gen_dir}/changelog.${package}" @ONLY)
    _lockhub_gzip("${_gen_dir}/changelog.${package}" "${_gen_dir}/changelog.${package}.gz")
endforeach()

set(_man "${CMAKE_INSTALL_DATADIR}/man")
set(_doc "${CMAKE_INSTALL_DATADIR}/doc")
install(FILES "${_gen_dir}/lockhubd.8.gz" DESTINATION "${_man}/man8" COMPONENT lockhub)
install(FILES "${_gen_dir}/lockhubctl.1.gz" DESTINATION "${_man}/man1" COMPONENT lockhub)
install(FILES "${_pkg_dir}/copyright" DESTINATION "${_doc}/lockhub" COMPONENT lockhub)
install(FILES "${_gen_dir}/changelog.lockhub.gz" DESTINATION "${_doc}/lockhub"
        RENAME changelog.gz COMPONENT lockhub)
install(FILES "${_gen_dir}/lockhub-sim.1.gz" DESTINATION "${_man}/man1" COMPONENT sim)
install(FILES "${_pkg_dir}/copyright" DESTINATION "${_doc}/lockhub-sim" COMPONENT sim)
install(FILES "${_gen_dir}/changelog.lockhub-sim.gz" DESTINATION "${_doc}/lockhub-sim"
        RENAME changelog.gz COMPONENT sim)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lockhub)
set(CPACK_PACKAGE_VENDOR lockhub)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${LOCKHUB_MAINTAINER}")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lockhub sim)
# lockhub_0.1.0_arm64.deb, lockhub-sim_0.1.0_arm64.deb
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_LOCKHUB_PACKAGE_NAME lockhub)
set(CPACK_DEBIAN_LOCKHUB_PACKAGE_SECTION net)
# bluez: lockhubd reaches the locks only through bluetoothd, and bluez's postinst creates the
# "bluetooth" group the unit's SupplementaryGroups= names (without the group the unit cannot start).
set(CPACK_DEBIAN_LOCKHUB_PACKAGE_DEPENDS "bluez")
set(CPACK_DEBIAN_LOCKHUB_PACKAGE_SUGGESTS "mosquitto, mosquitto-clients")
set(CPACK_COMPONENT_LOCKHUB_DESCRIPTION
    "Tuya Bluetooth LE smart locks to MQTT bridge\n\
lockhubd pairs Tuya-style BLE door locks through BlueZ, publishes their\n\
state and events (who unlocked, with which fingerprint, card or code) on\n\
MQTT for Home Assistant and automations, accepts lock and unlock commands,\n\
and keeps codes and unlock records in SQLite. It runs as the hardened\n\
systemd service lockhubd.service.")
set(CPACK_DEBIAN_LOCKHUB_PACKAGE_CONTROL_EXTRA
    "${_pkg_dir}/debian/lockhub/conffiles;${_pkg_dir}/debian/lockhub/postinst;\
${_pkg_dir}/debian/lockhub/prerm;${_pkg_dir}/debian/lockhub/postrm")

set(CPACK_DEBIAN_SIM_PACKAGE_NAME lockhub-sim)
set(CPACK_DEBIAN_SIM_PACKAGE_SECTION misc)
set(CPACK_COMPONENT_SIM_DESCRIPTION
    "simulated Tuya BLE locks behind the BlueZ D-Bus API\n\
lockhub-sim owns org.bluez on a private D-Bus bus and exports virtual\n\
locks that speak the Tuya BLE lock protocol, so that lockhubd can be\n\
tried and tested without a radio or a real lock.")

# A cross build resolves Depends: against its sysroot's dpkg database
# (scripts/lib/sysroot.sh), through packaging/dpkg-shlibdeps-cross.
if(CMAKE_CROSSCOMPILING)
    set(LOCKHUB_DPKG_ADMINDIR "${LOCKHUB_SYSROOT}/../dpkg")
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
        "${CMAKE_SYSROOT}/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}"
        "${CMAKE_SYSROOT}/lib/${CMAKE_LIBRARY_ARCHITECTURE}")
    configure_file("${_pkg_dir}/cpack-cross.cmake.in" "${_gen_dir}/cpack-cross.cmake" @ONLY)
    set(CPACK_PROJECT_CONFIG_FILE "${_gen_dir}/cpack-cross.cmake")
endif()

include(CPack)
