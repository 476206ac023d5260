// The real session sensor on a real X11 desktop (Xvfb + openbox), driven by real applications
// (xterm, xclip, Chromium, cp/mv, xset), feeding the real agent service, and once end to end to
// the real collector. Each test checks the events that reach the queue, and that copied
// personal data never appears anywhere outside the sensor's memory. Notices go to a real
// notification daemon (dunst on a private D-Bus session bus); "my data" is asked by two local
// accounts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "collector_process.h"
#include "desktop_session.h"
#include "notification_daemon.h"
#include "socket_recorder.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "vigie/collector/collector_home.h"
#include "vigie/collector/event_store.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/json_codec.h"

namespace vigie {
namespace {

using protocol::EventType;
using testing::DesktopSession;
using testing::runToEnd;
using testing::Subprocess;
using testing::TempDir;

constexpr int kNobody = 65534;
constexpr char kSession[] = "e2e-session";

// Personal data the tests copy; none of it may leave the sensor's memory.
constexpr char kEmail[] = "amelie.martin@example.fr";
constexpr char kPhone[] = "06 12 34 56 78";
constexpr char kIban[] = "FR76 3000 6000 0112 3456 7890 189";

std::string slurp(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

void expectNoPersonalData(const std::string& where, const std::string& text) {
  for (const char* marker : {kEmail, kPhone, kIban, "0612345678", "FR7630006000011234567890189"}) {
    EXPECT_EQ(text.find(marker), std::string::npos) << marker << " found in " << where;
  }
}

// A real cupsd on a loopback port with its own configuration and spool under `dir`, and two
// file printers: "office" with the generic PDF driver (its filters count pages) and "raw".
class CupsServer {
 public:
  explicit CupsServer(const std::string& dir) : dir_(dir) {
    for (const char* sub : {"spool", "cache", "state", "log"}) {
      std::filesystem::create_directories(dir_ + "/" + sub);
    }
    port_ = freeLoopbackPort();
    std::ofstream(dir_ + "/cupsd.conf")
        << "Listen 127.0.0.1:" << port_ << "\nBrowsing Off\nDefaultAuthType None\n"
        << "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        << "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n";
    std::ofstream(dir_ + "/cups-files.conf")
        << "FileDevice Yes\nServerRoot " << dir_ << "\nRequestRoot " << dir_ << "/spool\n"
        << "TempDir " << dir_ << "/spool\nCacheDir " << dir_ << "/cache\nStateDir " << dir_
        << "/state\nErrorLog " << dir_ << "/log/error_log\nAccessLog " << dir_
        << "/log/access_log\nPageLog " << dir_ << "/log/page_log\n";
    // The file printers' outputs exist beforehand: Debian's cupsd 2.4.2-3+deb12u10 no longer
    // creates them (the job stops, "could not open the output file").
    for (const char* output : {"/office.out", "/raw.out"}) {
      std::ofstream(dir_ + output).flush();
      ::chmod((dir_ + output).c_str(), 0666);
    }
    cupsd_ = std::make_unique<Subprocess>(std::vector<std::string>{
        "/usr/sbin/cupsd", "-f", "-c", dir_ + "/cupsd.conf", "-s", dir_ + "/cups-files.conf"});
    for (int i = 0; i < 200 && !ready_; ++i) {
      ready_ = runToEnd({"/usr/bin/lpstat", "-h", server(), "-r"}).second.find("is running") !=
               std::string::npos;
      if (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ready_ = ready_ &&
             runToEnd({"/usr/sbin/lpadmin", "-h", server(), "-p", "office", "-v",
                       "file://" + dir_ + "/office.out", "-m",
                       "lsb/usr/cupsfilters/Generic-PDF_Printer-PDF.ppd", "-E"})
                     .first == 0 &&
             runToEnd({"/usr/sbin/lpadmin", "-h", server(), "-p", "raw", "-v",
                       "file://" + dir_ + "/raw.out", "-E"})
                     .first == 0;
    // lpadmin may answer before a loaded scheduler accepts jobs for the new queues.
    bool accepting = false;
    for (int i = 0; ready_ && i < 400 && !accepting; ++i) {
      const std::string queues = runToEnd({"/usr/bin/lpstat", "-h", server(), "-a"}).second;
      accepting = queues.find("office accepting") != std::string::npos &&
                  queues.find("raw accepting") != std::string::npos;
      if (!accepting) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ready_ = ready_ && accepting;
  }
  ~CupsServer() {
    cupsd_->signal(SIGTERM);
    cupsd_->wait();
  }
  bool ready() const { return ready_; }
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  static uint16_t freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
  }

  std::string dir_;
  uint16_t port_ = 0;
  std::unique_ptr<Subprocess> cupsd_;
  bool ready_ = false;
};

class SessionCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: the sensor runs as another user";
    ASSERT_TRUE(desktop_.ready()) << "Xvfb/openbox did not start";
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    for (const std::string& place : {downloads_, media_}) {
      std::filesystem::create_directories(place);
      ASSERT_EQ(::chown(place.c_str(), kNobody, kNobody), 0);
    }
  }

  void writePolicy(const std::string& clipboard = "all", uint16_t crm_port = 0) {
    std::ofstream(policy_) << R"j({
      "policy_version": "e2e-1",
      "print": true,
      "applications": [
        {"app": "crm-desktop", "brand": "Acme Energie", "process": "^CrmDesktop$", "focus": true,
         "screens": [
           {"screen": "customer", "mode": "view", "title": "^Fiche client ([A-Z]-[0-9]+)"},
           {"screen": "customer", "mode": "edit", "title": "^Modifier client ([A-Z]-[0-9]+)"}]},
        {"app": "crm-web", "brand": "Bravo Telecom", "process": "^(chromium|Chromium)$",
         "title": "Bravo CRM",
         "source_urls": ["^http://127\\.0\\.0\\.1:)j" +
                                  std::to_string(crm_port) + R"j(/crm/"],
         "screens": [{"screen": "customer", "title": "^Client ([A-Z]-[0-9]+)"}]}
      ],
      "clipboard": ")j" + clipboard +
                                  R"j(",
      "watched_places": [
        {"path": ")j" + downloads_ +
                                  R"j(", "class": "downloads"},
        {"path": ")j" + media_ + R"j(", "class": "removable", "mount_points": true}
      ]
    })j";
  }

  std::unique_ptr<Subprocess> startAgent(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{VIGIE_AGENT_BINARY, "run",   "--data-dir",  data_,
                                  "--socket",         socket_, "--device-id", "dev-e2e"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto agent = std::make_unique<Subprocess>(argv);
    for (int i = 0; i < 1000 && !std::filesystem::exists(socket_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(std::filesystem::exists(socket_)) << "the agent did not start";
    return agent;
  }

  // vigie-session as the unprivileged user, its stderr captured.
  // Print jobs are followed at `cups_server`; by default a closed port (no print system).
  // `environment`: more NAME=value settings for it (its notification bus, its time zone).
  std::unique_ptr<Subprocess> startSensor(const std::string& socket,
                                          const std::string& cups_server = "127.0.0.1:9",
                                          std::vector<std::string> environment = {}) {
    environment.insert(environment.end(),
                       {"CUPS_SERVER=" + cups_server, VIGIE_SESSION_BINARY, "--policy", policy_,
                        "--socket", socket, "--session-id", kSession});
    auto sensor = std::make_unique<Subprocess>(desktop_.on(std::move(environment)), kNobody,
                                               /*capture_stderr=*/true);
    // Started once it has connected: its own logon is queued (a second sensor in the same test
    // must not take the first one's logon for its own).
    const size_t logons = ofType(EventType::kSessionLogon).size();
    for (int i = 0; i < 600 && ofType(EventType::kSessionLogon).size() == logons; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return sensor;
  }

  std::vector<protocol::Event> queued() {
    Subprocess command({VIGIE_AGENT_BINARY, "show", "--json", "--data-dir", data_});
    const std::string output = command.readAllOutput();
    command.wait();
    std::vector<protocol::Event> events;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      if (auto event = protocol::eventFromJson(line); event.isOk()) {
        events.push_back(std::move(event).value());
      }
    }
    return events;
  }

  // What the collector stores for the test device (its store, opened with its own key).
  static std::vector<protocol::Event> storedAt(const std::string& collector_dir) {
    std::vector<protocol::Event> events;
    auto home = collector::openCollectorHome(collector_dir);
    if (!home.isOk()) return events;
    auto store = collector::openSqlCipherStore(home->store_file, home->store_key);
    if (!store.isOk()) return events;
    (void)(*store)->forEachEvent({}, [&events](const collector::StoredEvent& stored) {
      EXPECT_EQ(stored.integrity, collector::Integrity::kOk);
      events.push_back(stored.event);
      return true;
    });
    return events;
  }

  // The first queued event that satisfies `match`, waiting up to 15 s for it.
  std::optional<protocol::Event> waitForEvent(
      const std::function<bool(const protocol::Event&)>& match) {
    return waitForEventIn([this] { return queued(); }, match);
  }

  static std::optional<protocol::Event> waitForEventIn(
      const std::function<std::vector<protocol::Event>()>& source,
      const std::function<bool(const protocol::Event&)>& match) {
    for (int i = 0; i < 300; ++i) {
      for (const protocol::Event& event : source()) {
        if (match(event)) return event;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
  }

  std::vector<protocol::Event> ofType(EventType type) {
    std::vector<protocol::Event> found;
    for (const protocol::Event& event : queued()) {
      if (event.type == type) found.push_back(event);
    }
    return found;
  }

  std::string windowOf(const std::string& window_class) {
    auto [status, output] =
        desktop_.run({"/usr/bin/xdotool", "search", "--sync", "--class", window_class});
    EXPECT_EQ(status, 0) << output;
    return output.substr(0, output.find('\n'));
  }

  void retitle(const std::string& window, const std::string& title) {
    EXPECT_EQ(desktop_.run({"/usr/bin/xdotool", "set_window", "--name", title, window}).first, 0);
  }

  void activate(const std::string& window) {
    EXPECT_EQ(desktop_.run({"/usr/bin/xdotool", "windowactivate", "--sync", window}).first, 0);
  }

  DesktopSession desktop_;
  TempDir dir_;
  const std::string data_ = dir_.file("agent-data");
  const std::string socket_ = dir_.file("agent.sock");
  // Not policy.json: an enrolled agent publishes (or, without a signed policy, removes) the
  // collector's policy under that name beside its socket.
  const std::string policy_ = dir_.file("session-policy.json");
  const std::string downloads_ = dir_.file("Downloads");
  const std::string media_ = dir_.file("media");
};

bool isView(const protocol::Event& e, const std::string& record, protocol::CrmMode mode) {
  if (e.type != EventType::kCrmView) return false;
  const auto& view = std::get<protocol::CrmView>(e.data);
  return view.record_id == record && view.mode == mode;
}

TEST_F(SessionCaptureTest, CrmScreensComeFromWindowTitlesUnderThePolicyAndNothingElse) {
  writePolicy();
  auto agent = startAgent();
  auto sensor = startSensor(socket_);

  auto crm = desktop_.start(
      {"/usr/bin/xterm", "-class", "CrmDesktop", "-T", "Fiche client C-1001 - Acme"});
  const std::string crm_window = windowOf("CrmDesktop");
  auto viewed = waitForEvent([](auto& e) { return isView(e, "C-1001", protocol::CrmMode::kView); });
  ASSERT_TRUE(viewed.has_value());
  EXPECT_EQ(viewed->user, "nobody");  // from the kernel, not from the sensor
  EXPECT_EQ(viewed->session, kSession);
  const auto& view = std::get<protocol::CrmView>(viewed->data);
  EXPECT_EQ(view.app, "crm-desktop");
  EXPECT_EQ(view.brand, "Acme Energie");
  EXPECT_FALSE(view.title.has_value());

  // The same window goes to the edit form, then to a screen no rule names.
  retitle(crm_window, "Modifier client C-1001 - Acme");
  EXPECT_TRUE(waitForEvent([](auto& e) { return isView(e, "C-1001", protocol::CrmMode::kEdit); }));
  retitle(crm_window, "Recherche - Acme");
  EXPECT_TRUE(waitForEvent([](auto& e) { return e.type == EventType::kAppFocus; }));

  // An application the policy does not name shows a record-like title: nothing is recorded.
  auto other = desktop_.start({"/usr/bin/xterm", "-class", "Notes", "-T", "Fiche client X-9999"});
  const std::string other_window = windowOf("Notes");
  activate(other_window);
  // Back to the CRM on another record: recorded again.
  activate(crm_window);
  retitle(crm_window, "Fiche client C-2002 - Acme");
  EXPECT_TRUE(waitForEvent([](auto& e) { return isView(e, "C-2002", protocol::CrmMode::kView); }));

  std::string everything;
  for (const protocol::Event& event : queued()) everything += protocol::toJson(event) + "\n";
  EXPECT_EQ(everything.find("X-9999"), std::string::npos) << everything;
  EXPECT_EQ(everything.find("Recherche"), std::string::npos) << "raw titles are dropped";
  EXPECT_EQ(ofType(EventType::kCrmView).size(), 3u) << everything;  // no duplicate per title
}

TEST_F(SessionCaptureTest, AReplacedPolicyAppliesAtOnceWithoutANewSession) {
  writePolicy();
  auto agent = startAgent();
  auto sensor = startSensor(socket_);
  auto notes = desktop_.start({"/usr/bin/xterm", "-class", "Notes", "-T", "Fiche client N-5"});
  const std::string notes_window = windowOf("Notes");
  activate(notes_window);

  // The policy is replaced as the agent service replaces it (a rename): it now names Notes.
  auto replacePolicy = [this](const std::string& text) {
    std::ofstream(policy_ + ".new") << text;
    ASSERT_EQ(::rename((policy_ + ".new").c_str(), policy_.c_str()), 0);
  };
  replacePolicy(R"j({"policy_version": "e2e-2", "applications": [
      {"app": "notes-crm", "brand": "Acme Energie", "process": "^Notes$",
       "screens": [{"screen": "customer", "title": "^Fiche client ([A-Z]-[0-9]+)"}]}]})j");
  auto viewed = waitForEvent([](auto& e) { return isView(e, "N-5", protocol::CrmMode::kView); });
  ASSERT_TRUE(viewed.has_value()) << "the window in front is seen under the new policy";
  EXPECT_EQ(std::get<protocol::CrmView>(viewed->data).app, "notes-crm");

  // A replacement that does not parse is reported; the policy in force stays.
  replacePolicy(R"j({"policy_version": "e2e-3", "applications": [{"app": "x", "process": "("}]})j");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  retitle(notes_window, "Fiche client N-6");
  EXPECT_TRUE(waitForEvent([](auto& e) { return isView(e, "N-6", protocol::CrmMode::kView); }));

  // One session throughout: one logon, no logoff, and the sensor says what it applied.
  EXPECT_EQ(ofType(EventType::kSessionLogon).size(), 1u);
  EXPECT_TRUE(ofType(EventType::kSessionLogoff).empty());
  sensor->signal(SIGTERM);
  const std::string log = sensor->readAllOutput();
  sensor->wait();
  EXPECT_NE(log.find("under policy e2e-2"), std::string::npos) << log;
  EXPECT_NE(log.find("new policy not applied, e2e-2 stays in force"), std::string::npos) << log;
}

TEST_F(SessionCaptureTest, ClipboardCopiesCarryCountsAndNeverTheCopiedText) {
  writePolicy("all");
  auto agent = startAgent();
  // The sensor talks to the agent through a recording relay: the IPC capture.
  const std::string relay = dir_.file("relay.sock");
  testing::SocketRecorder recorder(relay, socket_);
  auto sensor = startSensor(relay);

  const std::string text = std::string("Client: ") + kEmail + ", tel " + kPhone + ", IBAN " +
                           kIban + ", carte 4111 1111 1111 1111";
  const std::string file = dir_.file("copied.txt");
  std::ofstream(file) << text;
  // xclip -quiet stays in the foreground owning the selection, as an editor would.
  auto xclip = desktop_.start({"/usr/bin/xclip", "-quiet", "-selection", "clipboard", "-i", file});
  auto copy = waitForEvent([](auto& e) { return e.type == EventType::kClipboardCopy; });
  ASSERT_TRUE(copy.has_value());
  const auto& data = std::get<protocol::ClipboardCopy>(copy->data);
  EXPECT_EQ(data.source_app, "xclip");
  EXPECT_EQ(data.size_bytes, text.size());
  EXPECT_EQ(data.formats, (std::vector<std::string>{"UTF8_STRING"}));
  EXPECT_EQ(data.pii, (protocol::PiiCounts{1, 1, 1, 1, 0}));

  sensor->signal(SIGTERM);
  ASSERT_EQ(sensor->wait(), 0);
  agent->signal(SIGTERM);
  agent->wait();
  std::string everything;
  for (const protocol::Event& event : queued()) everything += protocol::toJson(event) + "\n";
  expectNoPersonalData("the queue (decrypted)", everything);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_)) {
    if (entry.is_regular_file()) expectNoPersonalData(entry.path(), slurp(entry.path()));
  }
  expectNoPersonalData("the IPC capture", recorder.captured());
  EXPECT_NE(recorder.captured().find("clipboard.copy"), std::string::npos);
  expectNoPersonalData("the sensor's messages", sensor->readAllOutput());
}

TEST_F(SessionCaptureTest, ExportsToDownloadsAndToARemovableStickAreRecorded) {
  writePolicy();
  const std::string stick = media_ + "/STICK";
  std::filesystem::create_directories(stick);
  auto agent = startAgent();
  auto sensor = startSensor(socket_);

  // cp into Downloads; a browser-style download: partial file renamed when complete.
  const std::string source = dir_.file("clients.csv");
  std::ofstream(source) << "nom;telephone\na;1\nb;2\n";
  ASSERT_EQ(runToEnd({"/bin/cp", source, downloads_ + "/clients.csv"}).first, 0);
  std::ofstream(downloads_ + "/rapport.pdf.crdownload") << "%PDF-1.4\n<< /Type /Page >>\n";
  ASSERT_EQ(
      runToEnd({"/bin/mv", downloads_ + "/rapport.pdf.crdownload", downloads_ + "/rapport.pdf"})
          .first,
      0);
  auto csv = waitForEvent([](auto& e) {
    return e.type == EventType::kFileExport &&
           std::get<protocol::FileExport>(e.data).extension == "csv";
  });
  ASSERT_TRUE(csv.has_value());
  const auto& export_csv = std::get<protocol::FileExport>(csv->data);
  EXPECT_EQ(export_csv.path_class, protocol::PathClass::kDownloads);
  EXPECT_EQ(export_csv.rows, 3u);
  auto pdf = waitForEvent([](auto& e) {
    return e.type == EventType::kFileExport &&
           std::get<protocol::FileExport>(e.data).extension == "pdf";
  });
  ASSERT_TRUE(pdf.has_value());
  EXPECT_EQ(std::get<protocol::FileExport>(pdf->data).pages, 1u);

  // A "USB stick" (tmpfs: this kernel has no vfat) mounted while the sensor runs.
  ASSERT_EQ(::mount("tmpfs", stick.c_str(), "tmpfs", 0, "size=4m,mode=0777"), 0)
      << std::strerror(errno);
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{stick};
  std::optional<protocol::Event> removable;
  // The sensor re-watches on the mount-table change; write until it has seen one file.
  for (int attempt = 0; attempt < 20 && !removable; ++attempt) {
    ASSERT_EQ(
        runToEnd({"/bin/cp", source, stick + "/copie" + std::to_string(attempt) + ".csv"}).first,
        0);
    removable = waitForEvent([](auto& e) {
      return e.type == EventType::kFileExport &&
             std::get<protocol::FileExport>(e.data).path_class == protocol::PathClass::kRemovable;
    });
  }
  ASSERT_TRUE(removable.has_value());
  EXPECT_EQ(std::get<protocol::FileExport>(removable->data).writer_process, "unknown");
  EXPECT_EQ(ofType(EventType::kFileExport).size(), 3u);  // the .crdownload itself is not one
}

TEST_F(SessionCaptureTest, LockUnlockAndTheEndsOfTheSessionAreRecorded) {
  writePolicy();
  auto agent = startAgent();
  auto sensor = startSensor(socket_);
  ASSERT_EQ(desktop_.run({"/usr/bin/xset", "s", "activate"}).first, 0);
  EXPECT_TRUE(waitForEvent([](auto& e) { return e.type == EventType::kSessionLock; }));
  ASSERT_EQ(desktop_.run({"/usr/bin/xset", "s", "reset"}).first, 0);
  EXPECT_TRUE(waitForEvent([](auto& e) { return e.type == EventType::kSessionUnlock; }));

  // A clean end records the logoff and no loss.
  sensor->signal(SIGTERM);
  EXPECT_EQ(sensor->wait(), 0);
  EXPECT_TRUE(waitForEvent([](auto& e) { return e.type == EventType::kSessionLogoff; }));
  EXPECT_TRUE(ofType(EventType::kAgentGap).empty());

  // A killed sensor: the service records it as lost, for that user and session.
  auto second = startSensor(socket_);
  second->signal(SIGKILL);
  second->wait();
  auto lost = waitForEvent([](auto& e) { return e.type == EventType::kAgentGap; });
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(std::get<protocol::AgentGap>(lost->data).reason, protocol::GapReason::kSensorLost);
  EXPECT_EQ(lost->user, "nobody");
  EXPECT_EQ(lost->session, kSession);
}

TEST_F(SessionCaptureTest, ThePersonsPrintJobsAreRecordedFromCups) {
  CupsServer cups(dir_.file("cups"));
  ASSERT_TRUE(cups.ready()) << "cupsd did not start";
  writePolicy();
  auto agent = startAgent();
  auto sensor = startSensor(socket_, cups.server());

  // Two copies of a one-page PDF named after a customer, printed by the person (nobody) ...
  // No space in the name: Debian's cupsd 2.4.2-3+deb12u10 crashes on a job whose document name
  // has one (with or without our sensor).
  const std::string document = dir_.file("Fiche-Martin.pdf");
  std::filesystem::copy_file("/usr/share/cups/data/default-testpage.pdf", document);
  ::chmod(document.c_str(), 0644);
  auto [printed, output] =
      runToEnd({"/usr/bin/lp", "-h", cups.server(), "-d", "office", "-n", "2", document}, kNobody);
  ASSERT_EQ(printed, 0) << output;
  // ... and a job of another account, which this session's sensor does not report.
  auto [other, other_output] =
      runToEnd({"/usr/bin/lp", "-h", cups.server(), "-d", "raw", "/etc/hostname"});
  ASSERT_EQ(other, 0) << other_output;
  auto [raw, raw_output] = runToEnd(
      {"/usr/bin/lp", "-h", cups.server(), "-d", "raw", "-t", "export.csv", "/etc/hostname"},
      kNobody);
  ASSERT_EQ(raw, 0) << raw_output;

  auto job = waitForEvent([](auto& e) {
    return e.type == EventType::kPrintJob &&
           std::get<protocol::PrintJob>(e.data).printer == "office";
  });
  ASSERT_TRUE(job.has_value());
  const auto& office = std::get<protocol::PrintJob>(job->data);
  EXPECT_EQ(office.pages, 1u);
  EXPECT_EQ(office.copies, 2u);
  EXPECT_EQ(office.document_class, "pdf");
  EXPECT_EQ(job->user, "nobody");
  auto raw_job = waitForEvent([](auto& e) {
    return e.type == EventType::kPrintJob && std::get<protocol::PrintJob>(e.data).printer == "raw";
  });
  ASSERT_TRUE(raw_job.has_value());
  EXPECT_EQ(std::get<protocol::PrintJob>(raw_job->data).document_class, "csv");
  EXPECT_EQ(std::get<protocol::PrintJob>(raw_job->data).pages, 0u);  // a raw queue counts none
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(ofType(EventType::kPrintJob).size(), 2u);  // root's job is not this session's
  std::string everything;
  for (const protocol::Event& event : queued()) everything += protocol::toJson(event);
  EXPECT_EQ(everything.find("Martin"), std::string::npos) << "job names are not kept";
}

TEST_F(SessionCaptureTest, TheSensorWaitsInMemoryForTheServiceAndLosesNothing) {
  writePolicy();
  auto sensor =
      std::make_unique<Subprocess>(desktop_.on({VIGIE_SESSION_BINARY, "--policy", policy_,
                                                "--socket", socket_, "--session-id", kSession}),
                                   kNobody, true);
  auto crm = desktop_.start({"/usr/bin/xterm", "-class", "CrmDesktop", "-T", "Fiche client C-77"});
  windowOf("CrmDesktop");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // seen while no service runs
  auto agent = startAgent();
  auto seen = waitForEvent([](auto& e) { return isView(e, "C-77", protocol::CrmMode::kView); });
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->user, "nobody");
  EXPECT_EQ(ofType(EventType::kSessionLogon).size(), 1u);
}

TEST_F(SessionCaptureTest, ChromiumCrmPagesAndCopiesReachTheCollector) {
  // A CRM-like web page on loopback; its title names the record and changes like a navigation.
  const std::string site = dir_.file("site");
  std::filesystem::create_directories(site + "/crm");
  std::ofstream(site + "/crm/customer.html")
      << "<!doctype html><html><head><meta charset=\"utf-8\">"
         "<title>Client C-3003 - Bravo CRM</title></head><body>"
         "<p>"
      << kEmail << " - " << kPhone
      << "</p>"
         "<script>setTimeout(() => { document.title = 'Client C-3004 - Bravo CRM'; }, 1500);"
         "</script></body></html>";
  Subprocess web({"/usr/bin/python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
                  "--directory", site});
  const std::string banner = web.readLine();  // "Serving HTTP on 127.0.0.1 port N (...) ..."
  const size_t at = banner.find(" port ");
  ASSERT_NE(at, std::string::npos) << banner;
  const auto port = static_cast<uint16_t>(std::stoi(banner.substr(at + 6)));

  const std::string collector_dir = dir_.file("collector");
  testing::CollectorProcess collector(collector_dir, 0);
  ASSERT_NE(collector.port(), 0);
  auto [enrolled, output] =
      runToEnd({VIGIE_AGENT_BINARY, "enroll", "--collector", collector.url(), "--ca-file",
                collector_dir + "/ca.pem", "--secret-file", collector_dir + "/enrollment.secret",
                "--data-dir", data_, "--device-id", "dev-e2e"});
  ASSERT_EQ(enrolled, 0) << output;
  writePolicy("named", port);
  auto agent = startAgent({"--linger-ms", "50"});
  // Enrolled, the agent uploads at once and deletes what the collector acknowledged: the events
  // are looked for where they end up.
  const auto collected = [&collector_dir] { return storedAt(collector_dir); };
  auto sensor =
      std::make_unique<Subprocess>(desktop_.on({VIGIE_SESSION_BINARY, "--policy", policy_,
                                                "--socket", socket_, "--session-id", kSession}),
                                   kNobody, /*capture_stderr=*/true);

  const std::string profile = dir_.file("chromium-profile");
  auto browser =
      desktop_.start({"/usr/bin/chromium", "--no-sandbox", "--no-first-run",
                      "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage",
                      "--password-store=basic", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                      "http://127.0.0.1:" + std::to_string(port) + "/crm/customer.html"});
  auto first = waitForEventIn(
      collected, [](auto& e) { return isView(e, "C-3003", protocol::CrmMode::kView); });
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->user, "nobody");
  EXPECT_EQ(std::get<protocol::CrmView>(first->data).brand, "Bravo Telecom");
  EXPECT_TRUE(waitForEventIn(
      collected, [](auto& e) { return isView(e, "C-3004", protocol::CrmMode::kView); }));

  // Select all and copy in the page, as a person would.
  auto [found, windows] =
      desktop_.run({"/usr/bin/xdotool", "search", "--sync", "--name", "Bravo CRM"});
  ASSERT_EQ(found, 0) << windows;
  const std::string window = windows.substr(0, windows.find('\n'));
  activate(window);
  ASSERT_EQ(desktop_
                .run({"/usr/bin/xdotool", "key", "--clearmodifiers", "--window", window, "ctrl+a",
                      "ctrl+c"})
                .first,
            0);
  auto copy =
      waitForEventIn(collected, [](auto& e) { return e.type == EventType::kClipboardCopy; });
  ASSERT_TRUE(copy.has_value());
  const auto& data = std::get<protocol::ClipboardCopy>(copy->data);
  EXPECT_EQ(data.source_app, "crm-web");
  EXPECT_EQ(data.source_url, "http://127.0.0.1:" + std::to_string(port) + "/crm/customer.html");
  EXPECT_EQ(data.pii.email, 1u);
  EXPECT_EQ(data.pii.phone_fr, 1u);

  // The collector holds the end of the session too, chain verified, without the copied text.
  sensor->signal(SIGTERM);
  EXPECT_EQ(sensor->wait(), 0);
  EXPECT_TRUE(
      waitForEventIn(collected, [](auto& e) { return e.type == EventType::kSessionLogoff; }));
  std::string stored;
  for (const protocol::Event& event : storedAt(collector_dir)) stored += protocol::toJson(event);
  expectNoPersonalData("the collector", stored);
}

// A POSIX TZ under which the local clock reads `hh:mm:ss` `lead_s` seconds from now: local
// times chosen by the test, so a recording period can end seconds after the session starts.
std::string zoneReading(int hh, int mm, int ss, int lead_s) {
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() +
                        lead_s;
  const int64_t want = hh * 3600 + mm * 60 + ss;
  const int64_t east = ((want - now_s % 86400) % 86400 + 86400) % 86400;
  char zone[32];
  // POSIX counts offsets west of Greenwich as positive: "VIG-h:m:s" is h:m:s east.
  std::snprintf(zone, sizeof zone, "TZ=VIG-%02d:%02d:%02d", static_cast<int>(east / 3600),
                static_cast<int>(east / 60 % 60), static_cast<int>(east % 60));
  return zone;
}

std::vector<protocol::Notice> noticesIn(const std::vector<protocol::Event>& events) {
  std::vector<protocol::Notice> notices;
  for (const protocol::Event& event : events) {
    if (event.type == EventType::kNoticeShown) {
      notices.push_back(std::get<protocol::Notice>(event.data));
    }
  }
  return notices;
}

TEST_F(SessionCaptureTest, NoticesReachTheNotificationDaemonAndAreRecordedAsShown) {
  testing::NotificationDaemon daemon(desktop_, kNobody);
  ASSERT_TRUE(daemon.ready()) << "dbus-run-session/dunst did not start";
  // Two back-to-back periods, every day; the session starts 12 s before the first one ends.
  // The second one lasts long enough that a slow run (sanitizers, a busy machine) does not
  // see it end too.
  std::ofstream(policy_) << R"j({
    "policy_version": "e2e-notice", "serial": 7, "activated": "2026-12-01T08:00:00Z",
    "applications": [{"app": "crm-desktop", "brand": "Acme Energie", "process": "^CrmDesktop$",
                      "screens": [{"screen": "customer", "title": "^Fiche client ([A-Z]-[0-9]+)"}]}],
    "retention_days": {"access": 183, "alerts": 365},
    "notice": {"controller": "Acme Contact SAS", "contact": "dpo@acme-contact.example",
               "purposes": ["Security of the customer data entrusted to us"],
               "recipients": ["Information security team"]},
    "recording_periods": [
      {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "11:59",
       "end": "12:00", "what": "Calls are recorded for quality"},
      {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "12:00",
       "end": "12:10", "what": "Calls are listened to for training"}],
    "upload": {"batch_events": 100}, "queue": {"max_age_days": 30}
  })j";
  auto agent = startAgent();

  // Shown at start: what is recorded, and the period in progress. The session must start
  // before 12:00 local: a machine too busy to start the sensor within the 12 s margin gets
  // another sensor under a fresh zone, and the notices of the late ones are set aside.
  std::unique_ptr<Subprocess> sensor;
  size_t set_aside = 0;
  std::vector<protocol::Notice> notices;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const int64_t noon_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count() +
                            12000;
    sensor =
        startSensor(socket_, "127.0.0.1:9", {daemon.busVariable(), zoneReading(11, 59, 48, 0)});
    std::vector<protocol::Event> shown;
    for (int i = 0; i < 150 && shown.size() < set_aside + 2; ++i) {
      shown = ofType(EventType::kNoticeShown);
      if (shown.size() < set_aside + 2) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_GE(shown.size(), set_aside + 2) << "the notices at start were not recorded";
    // The service stamps an event after the sensor chose it: stamped before noon, chosen before.
    if (shown[set_aside + 1].time_ms < noon_ms) break;
    ASSERT_LT(attempt, 3) << "the sensor started after the 12 s margin three times";
    sensor->signal(SIGTERM);
    ASSERT_EQ(sensor->wait(), 0);
    set_aside = noticesIn(queued()).size();
  }

  // At 12:00 local, the period's end and the next one's start.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (notices.size() < 4 && std::chrono::steady_clock::now() < deadline) {
    notices = noticesIn(queued());
    notices.erase(notices.begin(), notices.begin() + static_cast<std::ptrdiff_t>(set_aside));
    if (notices.size() < 4) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const std::vector<protocol::Notice> expected{{"processing", "7/e2e-notice"},
                                               {"recording_period_start", "7/e2e-notice"},
                                               {"recording_period_end", "7/e2e-notice"},
                                               {"recording_period_start", "7/e2e-notice"}};
  ASSERT_EQ(notices, expected);
  for (const protocol::Event& event : ofType(EventType::kNoticeShown)) {
    EXPECT_EQ(event.user, "nobody");
    EXPECT_EQ(event.session, kSession);
  }

  // What dunst received from this sensor, in the order shown (its history lists the newest
  // first; it folds a set-aside sensor's notice into the same one shown again).
  std::vector<testing::ReceivedNotification> received = daemon.received();
  ASSERT_GE(received.size(), 4u);
  if (set_aside == 0) {
    EXPECT_EQ(received.size(), 4u);
  }
  received.resize(4);
  std::reverse(received.begin(), received.end());
  for (const auto& notification : received) EXPECT_EQ(notification.app_name, "Vigie");
  EXPECT_EQ(received[0].summary, "Vigie records how customer data is handled in this session");
  for (const char* part :
       {"Purposes: Security of the customer data entrusted to us.",
        "Kept: 183 days: screens and records viewed; 365 days: alerts about unusual use.",
        "Read by: Information security team.", "Controller: Acme Contact SAS.",
        "dpo@acme-contact.example", "Never keystrokes, screens or contents.",
        "customer records viewed or edited in the CRMs of Acme Energie (screen, record id)",
        "copies from these applications", "vigie-session --my-data"}) {
    EXPECT_NE(received[0].body.find(part), std::string::npos) << part << "\n" << received[0].body;
  }
  EXPECT_EQ(received[1].summary, "Calls may be recorded or listened to (period in progress)");
  EXPECT_EQ(received[1].body, "Calls are recorded for quality\nToday from 11:59 to 12:00.");
  EXPECT_EQ(received[2].summary, "Calls are no longer recorded or listened to");
  EXPECT_EQ(received[2].body, "The period from 11:59 to 12:00 has ended.");
  EXPECT_EQ(received[3].summary, "Calls may now be recorded or listened to");
  EXPECT_EQ(received[3].body, "Calls are listened to for training\nToday from 12:00 to 12:10.");

  // A new policy in force (the service replaces the file atomically): told again, same period.
  std::string next_policy = slurp(policy_);
  next_policy.replace(next_policy.find("\"serial\": 7"), 11, "\"serial\": 8");
  std::ofstream(policy_ + ".new") << next_policy;
  ASSERT_EQ(std::rename((policy_ + ".new").c_str(), policy_.c_str()), 0);
  auto renewed = waitForEvent([](auto& e) {
    return e.type == EventType::kNoticeShown &&
           std::get<protocol::Notice>(e.data).version == "8/e2e-notice";
  });
  ASSERT_TRUE(renewed.has_value());
  EXPECT_EQ(std::get<protocol::Notice>(renewed->data).notice_id, "processing");
  EXPECT_EQ(noticesIn(queued()).size(), set_aside + 5);

  // The ids dunst gave are those the sensor reported.
  sensor->signal(SIGTERM);
  ASSERT_EQ(sensor->wait(), 0);
  const std::string messages = sensor->readAllOutput();
  for (const auto& notification : received) {
    EXPECT_NE(messages.find("notification " + std::to_string(notification.id) + ")"),
              std::string::npos)
        << messages;
  }
}

TEST_F(SessionCaptureTest, WithoutANotificationServiceNoNoticeIsRecordedAsShown) {
  writePolicy();
  auto agent = startAgent();
  auto sensor = startSensor(socket_, "127.0.0.1:9",
                            {"DBUS_SESSION_BUS_ADDRESS=unix:path=" + dir_.file("no-bus")});
  sensor->signal(SIGTERM);
  ASSERT_EQ(sensor->wait(), 0);
  const std::string messages = sensor->readAllOutput();
  EXPECT_NE(messages.find("notice processing not shown, no D-Bus session bus"), std::string::npos)
      << messages;
  // The notice was tried before the sensor's loop ran: its logoff comes after any notice.shown.
  ASSERT_TRUE(waitForEvent([](auto& e) { return e.type == EventType::kSessionLogoff; }));
  EXPECT_TRUE(ofType(EventType::kNoticeShown).empty());
}

// A local account that exists for one test.
class LocalAccount {
 public:
  explicit LocalAccount(std::string name) : name_(std::move(name)) {
    runToEnd({"/usr/sbin/userdel", name_});  // left over by an interrupted run
    created_ = runToEnd({"/usr/sbin/useradd", "--system", "--no-create-home", "--shell",
                         "/usr/sbin/nologin", name_})
                   .first == 0;
    const passwd* entry = ::getpwnam(name_.c_str());
    uid_ = entry != nullptr ? static_cast<int>(entry->pw_uid) : -1;
  }
  ~LocalAccount() {
    if (created_) runToEnd({"/usr/sbin/userdel", name_});
  }
  bool ready() const { return created_ && uid_ >= 0; }
  const std::string& name() const { return name_; }
  // argv run as this account, through setpriv.
  std::vector<std::string> as(std::vector<std::string> argv) const {
    const std::string id = std::to_string(uid_);
    argv.insert(argv.begin(),
                {"/usr/bin/setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups", "--"});
    return argv;
  }

 private:
  std::string name_;
  int uid_ = -1;
  bool created_ = false;
};

TEST_F(SessionCaptureTest, EachPersonReadsTheirOwnDataOfTodayAndNoOneElses) {
  LocalAccount ann("vigie-e2e-ann");
  LocalAccount bob("vigie-e2e-bob");
  ASSERT_TRUE(ann.ready() && bob.ready()) << "useradd failed";
  writePolicy();
  auto agent = startAgent();
  const auto send = [this](const LocalAccount& account, const std::string& record) {
    const std::string draft = R"({"type":"crm.view","session":"s-)" + account.name() +
                              R"(","data":{"app":"crm-web","screen":"customer","record_id":")" +
                              record + R"(","mode":"view","brand":"Acme"}})";
    auto [status, output] = runToEnd(
        account.as({"/bin/sh", "-c",
                    "echo '" + draft + "' | " + VIGIE_AGENT_BINARY + " send --socket " + socket_}));
    EXPECT_EQ(status, 0) << output;
  };
  send(ann, "C-ANN-1");
  send(bob, "C-BOB-1");
  send(ann, "C-ANN-2");

  for (const LocalAccount* account : {&ann, &bob}) {
    auto [status, json] =
        runToEnd(account->as({VIGIE_SESSION_BINARY, "--my-data", "--json", "--socket", socket_}));
    ASSERT_EQ(status, 0) << json;
    auto answer = protocol::json::parse(json);
    ASSERT_TRUE(answer.isOk()) << json;
    ASSERT_NE(answer->find("user"), nullptr);
    EXPECT_EQ(answer->find("user")->string, account->name());
    const std::string mine = account == &ann ? "C-ANN-" : "C-BOB-";
    const std::string theirs = account == &ann ? "C-BOB-" : "C-ANN-";
    const auto& entries = answer->find("entries")->array;
    EXPECT_EQ(entries.size(), account == &ann ? 2u : 1u) << json;
    for (const auto& entry : entries) {
      EXPECT_EQ(entry.find("session")->string, "s-" + account->name());
      EXPECT_EQ(entry.find("data")->find("record_id")->string.rfind(mine, 0), 0u) << json;
    }
    EXPECT_EQ(json.find(theirs), std::string::npos) << json;

    auto [text_status, text] =
        runToEnd(account->as({VIGIE_SESSION_BINARY, "--my-data", "--socket", socket_}));
    EXPECT_EQ(text_status, 0) << text;
    EXPECT_NE(text.find("about " + account->name() + " today"), std::string::npos) << text;
    EXPECT_NE(text.find("record_id " + mine + "1"), std::string::npos) << text;
    EXPECT_EQ(text.find(theirs), std::string::npos) << text;

    auto [status_status, status_text] = runToEnd(
        account->as({VIGIE_SESSION_BINARY, "--status", "--policy", policy_, "--socket", socket_}));
    EXPECT_EQ(status_status, 0) << status_text;
    EXPECT_NE(status_text.find("Policy in force: e2e-1 (serial 0"), std::string::npos)
        << status_text;
    EXPECT_NE(status_text.find(std::string("  crm.view          ") + (account == &ann ? "2" : "1")),
              std::string::npos)
        << status_text;
  }
}

TEST_F(SessionCaptureTest, BadPolicyOrNoDisplayIsAClearError) {
  std::ofstream(policy_)
      << R"j({"policy_version":"x","applications":[{"app":"a","process":"("}]})j";
  auto [status, output] =
      runToEnd(desktop_.on({VIGIE_SESSION_BINARY, "--policy", policy_, "--socket", socket_}));
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("applications[0].process: invalid regular expression"), std::string::npos)
      << output;

  writePolicy();
  std::tie(status, output) = runToEnd({"/usr/bin/env", "DISPLAY=:4242", VIGIE_SESSION_BINARY,
                                       "--policy", policy_, "--socket", socket_});
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("cannot connect to the X display :4242"), std::string::npos) << output;

  std::tie(status, output) = runToEnd({VIGIE_SESSION_BINARY, "--frobnicate"});
  EXPECT_EQ(status, 2);
  EXPECT_NE(output.find("--frobnicate"), std::string::npos) << output;
}

}  // namespace
}  // namespace vigie
