# What builds for Windows today: the protocol, the platform layer (platform/windows/), the
# workstation policy and the session sensor, their tests (run under wine) and the MSI. The
# system service waits for SQLCipher and libcurl built for mingw (docs/windows.md).
find_package(ZLIB REQUIRED)  # Debian's libz-mingw-w64-dev
find_package(Threads REQUIRED)

# The win32 API as of Windows 8 (AddClipboardFormatListener, GetNamedPipeClientProcessId), wide
# characters everywhere; statically linked C++ runtime so the programs run without mingw DLLs.
target_compile_definitions(vigie_options INTERFACE
  _WIN32_WINNT=0x0602 WINVER=0x0602 UNICODE _UNICODE WIN32_LEAN_AND_MEAN NOMINMAX)
target_link_options(vigie_options INTERFACE -static -static-libgcc -static-libstdc++)

if(VIGIE_BUILD_TESTS)
  enable_testing()
  include(GoogleTest)
  # GoogleTest from Debian's source package, built with the cross compiler.
  set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest ${PROJECT_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
endif()

add_subdirectory(protocol)
add_subdirectory(platform)
add_subdirectory(crypto)
add_subdirectory(agent)
add_subdirectory(installer/windows)
if(VIGIE_BUILD_TESTS)
  add_subdirectory(tests/windows)
  add_subdirectory(bench/windows)  # uses the tests' pipe stand-in
endif()
