#pragma once

// A private X11 desktop for end-to-end tests of the session sensor: Xvfb on a display number it
// picks itself, with the openbox window manager (EWMH, like a real desktop), and helpers to run
// X programs on it.

#include <memory>
#include <string>
#include <vector>

#include "subprocess.h"

namespace vigie::testing {

class DesktopSession {
 public:
  DesktopSession();   // starts Xvfb and openbox; ready() tells whether both came up
  ~DesktopSession();  // stops them (SIGTERM, then waits)
  DesktopSession(const DesktopSession&) = delete;
  DesktopSession& operator=(const DesktopSession&) = delete;

  bool ready() const { return ready_; }
  const std::string& display() const { return display_; }  // ":N"

  // argv prefixed so that it runs on this display: /usr/bin/env DISPLAY=:N argv...
  std::vector<std::string> on(std::vector<std::string> argv) const;
  // Starts a program on the display, running as `uid` (-1: as the test).
  std::unique_ptr<Subprocess> start(std::vector<std::string> argv, int uid = -1) const;
  // Runs a program on the display to its end; returns its exit code and output (with stderr).
  std::pair<int, std::string> run(std::vector<std::string> argv) const;

 private:
  std::unique_ptr<Subprocess> xvfb_;
  std::unique_ptr<Subprocess> window_manager_;
  std::string display_;
  bool ready_ = false;
};

}  // namespace vigie::testing
