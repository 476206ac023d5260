# Third-party libraries, all from Debian packages (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)

if(VIGIE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(VIGIE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
