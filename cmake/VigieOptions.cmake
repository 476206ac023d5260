# vigie::options carries what every Vigie target shares: language standard, warnings as errors
# and, when asked, sanitizers. Every target links it; third-party code never sees these flags.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

add_library(vigie_options INTERFACE)
add_library(vigie::options ALIAS vigie_options)
target_compile_features(vigie_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(vigie_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wimplicit-fallthrough -Werror)
# GCC 12 at -O3 (Release: the benchmarks) takes std::string concatenations for overlapping
# copies (GCC bug 105329, a false positive): reported, not fatal.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(vigie_options INTERFACE -Wno-error=restrict)
endif()

if(VIGIE_SANITIZE)
  target_compile_options(vigie_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(vigie_options INTERFACE -fsanitize=address,undefined)
endif()

# vigie/version.h, generated from the project version so there is one place to change it.
# VIGIE_VERSION overrides it for one build tree (a package built to test upgrades).
set(VIGIE_VERSION "${PROJECT_VERSION}" CACHE STRING "Version stamped into the programs and packages")
if(NOT VIGIE_VERSION MATCHES "^[0-9][0-9A-Za-z.+~]*$")
  message(FATAL_ERROR "VIGIE_VERSION '${VIGIE_VERSION}' is not a version: it must start with a "
    "digit and hold only letters, digits and . + ~")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/version.h.in ${PROJECT_BINARY_DIR}/generated/vigie/version.h)
target_include_directories(vigie_options INTERFACE ${PROJECT_BINARY_DIR}/generated)
