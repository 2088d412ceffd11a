# Shared settings for every target of the project, so each CMakeLists.txt states only what differs.

function(lockhub_target_defaults target)
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
