# Third-party libraries, all from Debian packages (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
find_package(Poco REQUIRED COMPONENTS Foundation Util Net NetSSL)
find_package(CURL REQUIRED)
find_package(PostgreSQL REQUIRED)  # libpq: the collector's PostgreSQL store

if(VIGIE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(VIGIE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
# The Linux session sensor's desktop watcher (X11: XFixes for the clipboard, X-Resource for pids,
# MIT-SCREEN-SAVER for lock/unlock).
pkg_check_modules(XCB REQUIRED IMPORTED_TARGET xcb xcb-xfixes xcb-res xcb-screensaver)
# ... and CUPS, whose job notifications tell it about print jobs.
find_package(Cups REQUIRED)
# ... and sd-bus (libsystemd), its client of the desktop's notification service.
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
