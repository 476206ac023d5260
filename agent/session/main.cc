// vigie-session: the session sensor. Runs in the person's graphical session, as that person,
// and hands what it sees to the agent service. Holds no key, writes nothing to disk.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "../cli/command_line.h"
#include "my_data_client.h"
#include "notice_board.h"
#include "policy_source.h"
#include "service_link.h"
#include "session_policy.h"
#include "session_sensor.h"
#include "status_report.h"
#include "vigie/platform/clock.h"
#include "vigie/platform/desktop_watcher.h"
#include "vigie/platform/local_time.h"
#include "vigie/platform/notifier.h"
#include "vigie/platform/process_context.h"
#include "vigie/protocol/utf8.h"
#include "vigie/version.h"
#include "workstation_policy.h"

namespace vigie::session {
namespace {

constexpr char kUsage[] = R"(Usage: vigie-session [OPTIONS]

Vigie's session sensor. It runs visibly in your desktop session and records, for the purposes
your employer's policy declares, metadata of what is done with customer data: which CRM screen
and record is in front, copies to the clipboard (where from, how much, which kinds of personal
data - never the copied text), files saved to watched places (kind, size - never content),
print jobs (printer, pages, copies, kind of document - never its name or content) when the
policy asks for them, and when the session is opened, locked, unlocked and closed. It never
records keystrokes, screens or the content of copies and files. It hands the events to the
agent service (vigie-agent), which stamps them with your account as the system reports it.
It tells you in a desktop notification what is recorded, why, for how long and whom to ask, at
the start of the session and whenever a new policy applies, and when calls may be recorded or
listened to (the policy's recording periods). Each notice shown is itself recorded.

  vigie-session --status     the policy in force, the recording periods, and how many events
                             were recorded about you today
  vigie-session --my-data    the list of what was recorded about you today (--json: as JSON)

Options:
  --policy FILE      session policy: CRM rules, watched places, clipboard sources, print,
                     notice and recording periods.
                     Default: the policy the agent service publishes, signed by
                     the collector (docs/fleet.md): @PUBLISHED@
                     when there is one, else @LOCAL_POLICY@
                     (docs/session-sensor.md). When the file in use, or the published
                     one, is replaced, the new policy applies at once; a new policy that
                     does not parse is reported and the old one stays
  --socket PATH      the agent service's @SOCKET_KIND@ (default @SOCKET@)
  --session-id ID    login session id recorded on events (default @SESSION_DEFAULT@)
  --display NAME     X display (default $DISPLAY; not used on Windows)
  --debounce-ms N    how long a window must stay in front to count (default 150)
  --status           print the status described above and exit
  --my-data          print what was recorded about you today and exit (--json for JSON)
  --help             print this help     --version   print the version

It stops on @STOP@,
or when the desktop session ends, and records the logoff. Exit status: 0 on a normal end, 1 on an
error (the message says which), 2 on bad usage.
)";

// The help text with this system's defaults.
std::string usage() {
#ifdef _WIN32
  const std::pair<std::string_view, std::string> values[] = {
      {"@SOCKET_KIND@", "pipe"},
      {"@SESSION_DEFAULT@", "win:<Windows session id>"},
      {"@STOP@", "Ctrl-C, a close request (taskkill without /f), logoff or shutdown"}};
#else
  const std::pair<std::string_view, std::string> values[] = {
      {"@SOCKET_KIND@", "socket"},
      {"@SESSION_DEFAULT@",
       "$XDG_SESSION_ID, else the\n                     X display, e.g. x11:0"},
      {"@STOP@", "SIGTERM, SIGINT or SIGHUP"}};
#endif
  std::string text = kUsage;
  const auto replace = [&text](std::string_view key, const std::string& value) {
    for (size_t at; (at = text.find(key)) != std::string::npos;)
      text.replace(at, key.size(), value);
  };
  for (const auto& [key, value] : values) replace(key, value);
  replace("@SOCKET@", policy::kDefaultServiceAddress);
  replace("@LOCAL_POLICY@", policy::kLocalPolicyFile);
  replace("@PUBLISHED@", policy::publishedPolicyPath(policy::kDefaultServiceAddress));
  return text;
}

std::atomic<platform::DesktopWatcher*> g_watcher = nullptr;
volatile std::sig_atomic_t g_stopping = 0;

void onStopRequest() {
  g_stopping = 1;
  if (platform::DesktopWatcher* watcher = g_watcher.load()) watcher->stop();
}

std::string absolutePath(const std::string& path) {
  std::error_code error;
  const auto absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

UserDirectories currentUser() {
  platform::CurrentUser user = platform::currentUser();
  return UserDirectories{std::move(user.home), std::move(user.name)};
}

// The published policy, else the local one; or only the one named with --policy.
PolicySource policySource(const agent::cli::Options& options, const std::string& socket) {
  const std::string explicit_policy = options.text("policy", "");
  return PolicySource(
      explicit_policy.empty()
          ? std::vector<std::string>{absolutePath(policy::publishedPolicyPath(socket)),
                                     policy::kLocalPolicyFile}
          : std::vector<std::string>{absolutePath(explicit_policy)});
}

int printStatus(const agent::cli::Options& options, const std::string& socket) {
  std::string path;
  auto policy = policySource(options, socket).load(currentUser(), path);
  if (!policy.isOk()) {
    std::cerr << "vigie-session: " << policy.status().toString() << "\n";
    return 1;
  }
  const StatusOr<MyData> data = fetchMyData(socket);
  std::cout << statusText(*policy, path, data, platform::processTimeZone(),
                          platform::systemClock().nowUnixMillis());
  return data.isOk() ? 0 : 1;
}

int printMyData(const agent::cli::Options& options, const std::string& socket) {
  auto data = fetchMyData(socket);
  if (!data.isOk()) {
    std::cerr << "vigie-session: " << data.status().toString() << "\n";
    return 1;
  }
  std::cout << (options.flag("json") ? myDataJson(*data)
                                     : myDataText(*data, platform::processTimeZone()));
  return 0;
}

int run(const std::vector<std::string>& args) {
  auto options =
      agent::cli::Options::parse(args, {"policy", "socket", "session-id", "display", "debounce-ms"},
                                 {"help", "version", "status", "my-data", "json"});
  if (!options.isOk()) {
    std::cerr << "vigie-session: " << options.status().message()
              << "\nTry 'vigie-session --help'.\n";
    return 2;
  }
  if (options->flag("help")) {
    std::cout << usage();
    return 0;
  }
  if (options->flag("version")) {
    std::cout << "vigie-session " << kVersion << "\n";
    return 0;
  }
  const std::string socket = options->text("socket", policy::kDefaultServiceAddress);
  if (options->flag("json") && !options->flag("my-data")) {
    std::cerr << "vigie-session: --json goes with --my-data\n";
    return 2;
  }
  if (options->flag("status")) return printStatus(*options, socket);
  if (options->flag("my-data")) return printMyData(*options, socket);
  auto debounce = options->number("debounce-ms", SessionSensor::kDefaultDebounceMillis, 0, 10000);
  if (!debounce.isOk()) {
    std::cerr << "vigie-session: " << debounce.status().message() << "\n";
    return 2;
  }
  const std::string display = options->text("display", "");
  const std::string session_id = options->text("session-id", platform::defaultSessionId(display));
  if (session_id.size() > protocol::kMaxShortText || !protocol::isValidUtf8(session_id)) {
    std::cerr << "vigie-session: --session-id must be valid UTF-8 of at most 256 bytes\n";
    return 2;
  }

  const PolicySource source = policySource(*options, socket);
  const UserDirectories user = currentUser();
  std::string policy_file;
  auto policy = source.load(user, policy_file);
  if (!policy.isOk()) {
    std::cerr << "vigie-session: " << policy.status().toString() << "\n";
    return 1;
  }

  platform::callOnStopRequest(onStopRequest);

  ServiceLink link(socket, SessionSensor::logonLine(session_id));
  platform::NotifierPtr notifier = platform::newDesktopNotifier("Vigie");
  NoticeBoard notices(
      *notifier,
      [&link, &session_id](protocol::Notice notice) {
        link.send(SessionSensor::noticeLine(session_id, std::move(notice)));
      },
      platform::systemClock(), platform::processTimeZone());
  link.open();
  notices.sessionStarted(*policy);
  Status ended;
  // One watch per policy: a replaced policy file ends the watch, and the session goes on under
  // the new policy on the same link (no new logon).
  while (true) {
    std::cerr << "vigie-session: recording session " << session_id << " under policy "
              << policy->version << " from " << policy_file << " (" << policy->applications.size()
              << " applications, " << policy->watched_places.size() << " watched places)\n";
    platform::DesktopWatchOptions watch;
    watch.display = display;
    watch.clipboard = policy->clipboard != ClipboardSources::kNone;
    watch.print = policy->print;
    for (const WatchedPlace& place : policy->watched_places) {
      watch.directories.push_back({place.path, place.mount_points});
    }
    const size_t first_policy_place = watch.directories.size();
    for (platform::WatchedDirectory& dir : source.directories()) {
      watch.directories.push_back(std::move(dir));
    }
    auto watcher = platform::openDesktopWatcher(watch);
    if (!watcher.isOk()) {
      std::cerr << "vigie-session: " << watcher.status().toString() << "\n";
      return 1;
    }
    SessionSensor sensor(*policy, link, session_id, static_cast<int64_t>(*debounce));
    sensor.setNoticeBoard(&notices);
    PolicyChangeListener listener(sensor, **watcher, source, first_policy_place);
    g_watcher = watcher->get();
    if (g_stopping == 0) ended = (*watcher)->run(listener);
    g_watcher = nullptr;
    if (!listener.changed() || g_stopping != 0 || !ended.isOk()) {
      sensor.end();
      break;
    }
    std::string new_file;
    auto renewed = source.load(user, new_file);
    if (!renewed.isOk()) {
      std::cerr << "vigie-session: new policy not applied, " << policy->version
                << " stays in force: " << renewed.status().toString() << "\n";
      continue;
    }
    policy = std::move(renewed);
    policy_file = new_file;
    notices.policyChanged(*policy);
  }
  std::cerr << "vigie-session: session " << session_id << " ended"
            << (ended.isOk() ? "" : " (" + ended.message() + ")") << "\n";
  return 0;
}

}  // namespace
}  // namespace vigie::session

int main(int argc, char** argv) {
  vigie::platform::attachToParentConsole();
  return vigie::session::run(vigie::platform::programArguments(argc, argv));
}
