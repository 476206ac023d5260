// The Windows session sensor end to end under wine: vigie-session.exe watches a real Win32
// application of ours (vigie-test-crm.exe) that shows a customer record, copies text carrying
// personal data and writes an export, and hands its events to a recording stand-in for the
// agent service's pipe. The events say what happened; the copied and exported data never
// appear in them nor in the sensor's output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "support/windows_test_support.h"

namespace vigie::wintest {
namespace {

// What the test application copies and exports: personal data that must never leave it.
constexpr const char* kMarkers[] = {"jean.dupont",        "Dupont",   "FR76",
                                    "3000 6000",          "06 12 34", "MARKER-EXPORT-7731",
                                    "secret-title-marker"};

// Build-tree paths arrive as host paths; wine sees the host's / as drive Z:.
std::string winePath(std::string path) {
  if (!path.starts_with("/")) return path;
  std::replace(path.begin(), path.end(), '/', '\\');
  return "Z:" + path;
}

std::string jsonEscaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

std::string policyFor(const std::string& downloads) {
  return R"j({
  "policy_version": "wine-test-1",
  "applications": [
    {"app": "test-crm", "brand": "Acme Energie", "process": "^vigie-test-crm\\.exe$",
     "screens": [{"screen": "customer", "mode": "view", "title": "^Fiche client (C-[0-9]{4,10}) "}]}
  ],
  "clipboard": "named",
  "watched_places": [{"path": ")j" +
         jsonEscaped(downloads) + R"j(", "class": "downloads"}],
  "notice": {"controller": "Acme Contact SAS", "contact": "dpo@acme-contact.example",
             "purposes": ["Security of customer data"], "recipients": ["Security team"]}
})j";
}

bool anyLine(const std::vector<PipeRecorder::Line>& lines,
             std::initializer_list<const char*> parts) {
  return std::any_of(lines.begin(), lines.end(), [&](const PipeRecorder::Line& line) {
    return std::all_of(parts.begin(), parts.end(),
                       [&](const char* part) { return line.text.find(part) != std::string::npos; });
  });
}

std::string describe(const std::vector<PipeRecorder::Line>& lines) {
  std::string out;
  for (const auto& line : lines) out += "  " + line.text + "\n";
  return out;
}

// Shows a first record and waits until the sensor reports it: from then on its watcher runs
// (it starts a moment after the sensor greets the service).
::testing::AssertionResult sensorWatching(PipeRecorder& service, const TempDir& dir) {
  ChildProcess screen(winePath(VIGIE_TEST_CRM_EXE),
                      {"--title", "Fiche client C-000001 - Test CRM", "--wait", "800"},
                      dir.file("first-screen.log"));
  if (screen.wait(30000) != 0) return ::testing::AssertionFailure() << "test application failed";
  if (service.waitFor(
          [](const auto& lines) { return anyLine(lines, {"\"record_id\":\"C-000001\""}); },
          20000)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "the first record was not seen:\n"
                                       << describe(service.lines());
}

TEST(WindowsSessionSensorTest, RecordsScreensCopiesAndExportsAsMetadataOnly) {
  TempDir dir;
  const std::string downloads = dir.file("Downloads");
  CreateDirectoryW(widen(downloads).c_str(), nullptr);
  writeFile(dir.file("policy.json"), policyFor(downloads));
  PipeRecorder service(R"(\\.\pipe\vigie-test-sensor-)" + std::to_string(GetCurrentProcessId()));
  ASSERT_TRUE(service.listening());

  const std::string sensor_output = dir.file("sensor.log");
  ChildProcess sensor(
      winePath(VIGIE_SESSION_EXE),
      {"--socket", service.name(), "--policy", dir.file("policy.json"), "--session-id", "win:test"},
      sensor_output);
  ASSERT_TRUE(sensor.started());
  ASSERT_TRUE(
      service.waitFor([](const auto& lines) { return anyLine(lines, {"session.logon"}); }, 20000))
      << readFile(sensor_output);
  ASSERT_TRUE(sensorWatching(service, dir)) << readFile(sensor_output);

  ChildProcess crm(winePath(VIGIE_TEST_CRM_EXE),
                   {"--title",
                    "Fiche client C-104233 - Test CRM",
                    "--wait",
                    "800",
                    "--copy",
                    "Jean Dupont, jean.dupont@example.com, IBAN FR76 3000 6000 0112 3456 7890 "
                    "189, tel 06 12 34 56 78",
                    "--wait",
                    "800",
                    "--content",
                    "name;email",
                    "--content",
                    "Jean Dupont;jean.dupont@example.com MARKER-EXPORT-7731",
                    "--content",
                    "Marie Martin;marie@example.org",
                    "--export",
                    downloads + "\\clients.csv",
                    "--title",
                    "Messagerie perso secret-title-marker",
                    "--wait",
                    "1500"},
                   dir.file("crm.log"));
  ASSERT_TRUE(crm.started());
  EXPECT_EQ(crm.wait(30000), 0) << readFile(dir.file("crm.log"));

  const bool all_seen = service.waitFor(
      [](const auto& lines) {
        return anyLine(lines, {"crm.view", "\"record_id\":\"C-104233\""}) &&
               anyLine(lines, {"clipboard.copy", "\"source_app\":\"test-crm\""}) &&
               anyLine(lines, {"file.export", "\"extension\":\"csv\""});
      },
      20000);
  sensor.requestClose();
  const long sensor_exit = sensor.wait(20000);
  const std::vector<PipeRecorder::Line> lines = service.lines();
  const std::string output = readFile(sensor_output);
  ASSERT_TRUE(all_seen) << "events:\n" << describe(lines) << "sensor:\n" << output;
  EXPECT_EQ(sensor_exit, 0) << output;

  EXPECT_TRUE(anyLine(lines, {"crm.view", "\"app\":\"test-crm\"", "\"screen\":\"customer\"",
                              "\"brand\":\"Acme Energie\""}))
      << describe(lines);
  // The copy: its kinds of personal data counted, never its text.
  EXPECT_TRUE(anyLine(
      lines, {"clipboard.copy", "\"email\":1", "\"phone_fr\":1", "\"iban\":1", "CF_UNICODETEXT"}))
      << describe(lines);
  EXPECT_TRUE(anyLine(lines, {"file.export", "\"path_class\":\"downloads\"", "\"rows\":3"}))
      << describe(lines);
  EXPECT_TRUE(anyLine(lines, {"session.logoff"})) << describe(lines);

  // Who sent them is what the OS says: the sensor's process, the test's account.
  for (const auto& line : lines) {
    EXPECT_EQ(line.peer.pid, static_cast<int32_t>(sensor.pid())) << line.text;
    EXPECT_FALSE(line.peer.user.empty());
  }
  for (const char* marker : kMarkers) {
    for (const auto& line : lines) {
      EXPECT_EQ(line.text.find(marker), std::string::npos) << marker << " in " << line.text;
    }
    EXPECT_EQ(output.find(marker), std::string::npos) << marker << " in the sensor's output";
  }
}

TEST(WindowsSessionSensorTest, KeepsEventsWhileTheServiceIsAwayAndDeliversThemWhenItComes) {
  TempDir dir;
  writeFile(dir.file("policy.json"), policyFor(dir.path()));
  const std::string pipe = R"(\\.\pipe\vigie-test-late-)" + std::to_string(GetCurrentProcessId());
  ChildProcess sensor(
      winePath(VIGIE_SESSION_EXE),
      {"--socket", pipe, "--policy", dir.file("policy.json"), "--session-id", "win:late"},
      dir.file("sensor.log"));
  ASSERT_TRUE(sensor.started());
  ChildProcess crm(winePath(VIGIE_TEST_CRM_EXE),
                   {"--title", "Fiche client C-555001 - Test CRM", "--wait", "2500"},
                   dir.file("crm.log"));
  EXPECT_EQ(crm.wait(30000), 0) << readFile(dir.file("crm.log"));

  PipeRecorder service(pipe);  // the service starts after the fact
  ASSERT_TRUE(service.listening());
  EXPECT_TRUE(service.waitFor(
      [](const auto& lines) {
        return anyLine(lines, {"session.logon"}) &&
               anyLine(lines, {"crm.view", "\"record_id\":\"C-555001\""});
      },
      30000))
      << describe(service.lines()) << readFile(dir.file("sensor.log"));
  sensor.requestClose();
  EXPECT_EQ(sensor.wait(20000), 0);
}

// Removable drives are found by the OS's drive type, whatever their letter; the test script
// makes R: one (wine's drive settings).
TEST(WindowsSessionSensorTest, AnExportToARemovableDriveIsClassedRemovable) {
  const char* drive = std::getenv("VIGIE_TEST_REMOVABLE_DRIVE");
  if (drive == nullptr) GTEST_SKIP() << "no removable drive set up (scripts/test-windows.sh does)";
  const std::string root = std::string(drive) + "\\";
  ASSERT_EQ(GetDriveTypeW(widen(root).c_str()), static_cast<UINT>(DRIVE_REMOVABLE)) << root;
  TempDir dir;
  std::string policy = policyFor(dir.file("unused"));
  constexpr std::string_view kPlaces = R"("watched_places": [)";
  policy.replace(policy.find(kPlaces), kPlaces.size(),
                 R"j("watched_places": [{"path": "/media/$USER", "class": "removable",
                                        "mount_points": true}, )j");
  writeFile(dir.file("policy.json"), policy);
  PipeRecorder service(R"(\\.\pipe\vigie-test-usb-)" + std::to_string(GetCurrentProcessId()));
  ASSERT_TRUE(service.listening());
  ChildProcess sensor(winePath(VIGIE_SESSION_EXE),
                      {"--socket", service.name(), "--policy", dir.file("policy.json")},
                      dir.file("sensor.log"));
  ASSERT_TRUE(
      service.waitFor([](const auto& lines) { return anyLine(lines, {"session.logon"}); }, 20000))
      << readFile(dir.file("sensor.log"));
  ASSERT_TRUE(sensorWatching(service, dir)) << readFile(dir.file("sensor.log"));
  const std::string exported =
      root + "vigie-test-" + std::to_string(GetCurrentProcessId()) + ".pdf";
  ChildProcess crm(winePath(VIGIE_TEST_CRM_EXE),
                   {"--content", "%PDF-1.4", "--content", "1 0 obj << /Type /Page >> endobj",
                    "--export", exported, "--wait", "500"},
                   dir.file("crm.log"));
  EXPECT_EQ(crm.wait(30000), 0) << readFile(dir.file("crm.log"));
  const bool seen = service.waitFor(
      [](const auto& lines) {
        return anyLine(lines, {"file.export", "\"path_class\":\"removable\"",
                               "\"extension\":\"pdf\"", "\"pages\":1"});
      },
      20000);
  DeleteFileW(widen(exported).c_str());
  sensor.requestClose();
  EXPECT_EQ(sensor.wait(20000), 0);
  EXPECT_TRUE(seen) << describe(service.lines()) << readFile(dir.file("sensor.log"));
}

// wine's spooler gives no change notifications: a policy asking for print jobs is then told on
// the sensor's output, and everything else is still recorded.
TEST(WindowsSessionSensorTest, PrintJobsThatCannotBeFollowedAreSaidAndTheRestIsRecorded) {
  TempDir dir;
  std::string policy = policyFor(dir.path());
  constexpr std::string_view kClipboard = R"("clipboard": "named",)";
  policy.replace(policy.find(kClipboard), kClipboard.size(),
                 R"("clipboard": "named", "print": true,)");
  writeFile(dir.file("policy.json"), policy);
  PipeRecorder service(R"(\\.\pipe\vigie-test-print-)" + std::to_string(GetCurrentProcessId()));
  ASSERT_TRUE(service.listening());
  ChildProcess sensor(winePath(VIGIE_SESSION_EXE),
                      {"--socket", service.name(), "--policy", dir.file("policy.json")},
                      dir.file("sensor.log"));
  ASSERT_TRUE(sensorWatching(service, dir)) << readFile(dir.file("sensor.log"));
  sensor.requestClose();
  EXPECT_EQ(sensor.wait(20000), 0);
  const std::string output = readFile(dir.file("sensor.log"));
  EXPECT_NE(output.find("print jobs not followed: the print spooler gives no change notifications"),
            std::string::npos)
      << output;
}

TEST(WindowsSessionSensorTest, BadUsageAndABadPolicyAreClearErrors) {
  TempDir dir;
  ChildProcess usage(winePath(VIGIE_SESSION_EXE), {"--no-such-option"}, dir.file("usage.log"));
  EXPECT_EQ(usage.wait(20000), 2);
  EXPECT_NE(readFile(dir.file("usage.log")).find("--no-such-option"), std::string::npos);

  writeFile(dir.file("policy.json"), R"j({"policy_version":"v","clipboard":"some"})j");
  ChildProcess bad(
      winePath(VIGIE_SESSION_EXE),
      {"--socket", R"(\\.\pipe\vigie-test-unused)", "--policy", dir.file("policy.json")},
      dir.file("bad.log"));
  EXPECT_EQ(bad.wait(20000), 1);
  EXPECT_NE(readFile(dir.file("bad.log")).find("clipboard"), std::string::npos)
      << readFile(dir.file("bad.log"));
}

}  // namespace
}  // namespace vigie::wintest
