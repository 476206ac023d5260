#include "desktop_session.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace vigie::testing {

DesktopSession::DesktopSession() {
  // -displayfd: Xvfb picks a free display number and writes it to stdout once it accepts clients.
  // Two servers starting at once may pick the same number, and the loser exits ("server already
  // running") instead of trying the next: start again, a little later each time.
  std::string number;
  for (int attempt = 0; attempt < 5 && number.empty(); ++attempt) {
    if (xvfb_) {
      xvfb_->wait();
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * (attempt + getpid() % 3)));
    }
    xvfb_ = std::make_unique<Subprocess>(std::vector<std::string>{
        "/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"});
    number = xvfb_->readLine();
  }
  if (number.empty()) return;
  display_ = ":" + number;
  window_manager_ = start({"/usr/bin/openbox"});
  // openbox is ready once it answers EWMH requests: seconds on a loaded machine, more under
  // ASan with the suite running beside. One that gave up starting is started again.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (!ready_ && std::chrono::steady_clock::now() < deadline) {
    ready_ = run({"/usr/bin/xdotool", "get_desktop"}).first == 0;
    if (ready_) break;
    if (window_manager_->exited()) {
      std::fprintf(stderr, "desktop session %s: openbox ended before it was ready; again\n",
                   display_.c_str());
      window_manager_ = start({"/usr/bin/openbox"});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

DesktopSession::~DesktopSession() {
  for (auto* process : {&window_manager_, &xvfb_}) {
    if (!*process) continue;
    (*process)->signal(SIGTERM);
    (*process)->wait();
  }
}

std::vector<std::string> DesktopSession::on(std::vector<std::string> argv) const {
  argv.insert(argv.begin(), {"/usr/bin/env", "DISPLAY=" + display_});
  return argv;
}

std::unique_ptr<Subprocess> DesktopSession::start(std::vector<std::string> argv, int uid) const {
  return std::make_unique<Subprocess>(on(std::move(argv)), uid);
}

std::pair<int, std::string> DesktopSession::run(std::vector<std::string> argv) const {
  return runToEnd(on(std::move(argv)));
}

}  // namespace vigie::testing
