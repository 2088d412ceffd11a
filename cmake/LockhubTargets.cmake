# Shared settings for every target of the project, so each CMakeLists.txt states only what differs.

# Unity builds: each target's sources are compiled a batch at a time, one translation unit that
# includes them all, so the headers every file includes (the standard library, nlohmann/json,
# gtest) are parsed once a batch instead of once a file. File-local names (anonymous namespaces,
# statics) therefore share one scope with the batch's other files and must be distinct within
# their target. On by default so that a clash shows up in a developer's build as in CI's.
option(LOCKHUB_UNITY_BUILD "Compile each target's sources in batches (CMake UNITY_BUILD)" ON)
set(LOCKHUB_UNITY_BATCH_SIZE 8 CACHE STRING "Source files per unity batch (0: a target's all)")

function(lockhub_target_defaults target)
    if(LOCKHUB_UNITY_BUILD)
        set_target_properties(${target} PROPERTIES UNITY_BUILD ON
                                                   UNITY_BUILD_BATCH_SIZE ${LOCKHUB_UNITY_BATCH_SIZE})
    endif()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion)
    # GCC 12 reports false -Wrestrict positives inside libstdc++'s string concatenation at -O3
    # (GCC bug 105329, fixed in 13); they would fail the Release benchmark build under -Werror.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
    if(LOCKHUB_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# Test code is compiled with the build type's flags followed by these: it is two thirds of what the
# project compiles, and unoptimised a test file takes about 40 % of the CPU time (CodeServiceTest:
# 38 s at -O2 -g, 15 s at -O0 -g0; MigrationTest 9.9 s, 4.1 s). It runs I/O-bound, and the
# libraries and programs it tests keep the build type's optimisation. Set it empty to debug a test
# with the build type's flags alone.
set(LOCKHUB_TEST_COMPILE_FLAGS "-O0 -g0" CACHE STRING "Compile flags appended for test executables")

function(lockhub_test_defaults target)
    lockhub_target_defaults(${target})
    separate_arguments(flags UNIX_COMMAND "${LOCKHUB_TEST_COMPILE_FLAGS}")
    target_compile_options(${target} PRIVATE ${flags})
endfunction()

# lockhub_library(name SOURCES ... DEPS ...): one static library per layer.
function(lockhub_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
    lockhub_target_defaults(${name})
endfunction()
