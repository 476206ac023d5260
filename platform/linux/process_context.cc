#include "vigie/platform/process_context.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace vigie::platform {
namespace {

void (*g_stop)() = nullptr;

void onStopSignal(int) {
  if (g_stop != nullptr) g_stop();
}

}  // namespace

std::vector<std::string> programArguments(int argc, char** argv) {
  return std::vector<std::string>(argv + 1, argv + argc);
}

void attachToParentConsole() {}

CurrentUser currentUser() {
  CurrentUser user;
  const passwd* entry = getpwuid(getuid());
  const char* home = std::getenv("HOME");
  user.home = home != nullptr ? home : entry != nullptr ? entry->pw_dir : "/";
  user.name = entry != nullptr ? entry->pw_name : "uid" + std::to_string(getuid());
  return user;
}

std::string defaultSessionId(const std::string& display) {
  if (const char* id = std::getenv("XDG_SESSION_ID"); id != nullptr && *id != '\0') return id;
  const char* env_display = std::getenv("DISPLAY");
  return "x11" +
         (display.empty() ? std::string(env_display != nullptr ? env_display : "") : display);
}

void callOnStopRequest(void (*stop)()) {
  g_stop = stop;
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  for (const int signal : {SIGTERM, SIGINT, SIGHUP}) sigaction(signal, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

}  // namespace vigie::platform
