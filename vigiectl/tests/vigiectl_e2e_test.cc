// vigiectl against the real collector: accounts created with vigie-collector --add-account, the
// collector serving on loopback, the real vigiectl binary run as a subprocess for every step.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "collector_process.h"
#include "ctl_runner.h"
#include "enrolled_agent.h"
#include "temp_dir.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::ctl {
namespace {

using testing::runCommand;
using testing::RunResult;

constexpr char kPassword[] = "correct horse battery";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string describe(const RunResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "stderr:\n" +
         result.err;
}

// The real vigiectl binary with its session file in a temporary directory.
class VigiectlBinaryTest : public ::testing::Test {
 protected:
  RunResult ctl(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), VIGIECTL_BINARY);
    return runCommand(args, input, {"VIGIECTL_CONFIG=" + session_file_});
  }

  vigie::testing::TempDir dir_;
  const std::string session_file_ = dir_.file("config/vigie/vigiectl.json");
};

class VigiectlEndToEndTest : public VigiectlBinaryTest {
 protected:
  void SetUp() override {
    // The first start creates the data directory; accounts are then added beside the running
    // service, as on a collector host.
    collector_ = std::make_unique<vigie::testing::CollectorProcess>(data_dir_, 0);
    ASSERT_NE(collector_->port(), 0);
    addAccount("integ", "integration", "acme");
    addAccount("dpo1", "dpo", "");
    addAccount("dpo2", "dpo", "");
    addAccount("auditor1", "auditor", "");
  }

  void addAccount(const std::string& name, const std::string& role, const std::string& brand) {
    std::vector<std::string> argv = {
        VIGIE_COLLECTOR_BINARY, "--data-dir", data_dir_, "--add-account", name, "--role", role};
    if (!brand.empty()) {
      argv.push_back("--brand");
      argv.push_back(brand);
    }
    const RunResult result = runCommand(argv, std::string(kPassword) + "\n");
    ASSERT_EQ(result.exit_code, 0) << "adding " << name << ": " << describe(result);
  }

  void login(const std::string& user) {
    const RunResult result =
        ctl({"login", "--url", collector_->url(), "--ca", data_dir_ + "/ca.pem", "--user", user},
            std::string(kPassword) + "\n");
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    ASSERT_NE(result.out.find("logged in as " + user), std::string::npos) << result.out;
  }

  // CRM audit records for record C-1042 (five) and C-2000 (one), a few minutes old: inside the
  // questions' default range (the last 30 days).
  std::string crmCsv() const {
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto at = [&](int minutes_ago) {
      return protocol::formatUtcMillis(now - minutes_ago * 60'000);
    };
    return "id,time,user,record_id,action,fields\n"
           "A-1," +
           at(50) +
           ",jdupont,C-1042,create,\n"
           "A-2," +
           at(40) +
           ",jdupont,C-1042,update,iban;address\n"
           "A-3," +
           at(30) +
           ",jdupont,C-1042,update,\"phone|email\"\n"
           "A-4," +
           at(20) +
           ",jdupont,C-1042,export,\n"
           "A-5," +
           at(10) +
           ",jdupont,C-1042,update,address\n"
           "A-6," +
           at(5) + ",mmartin,C-2000,delete,\n";
  }

  const std::string data_dir_ = dir_.file("collector");
  std::unique_ptr<vigie::testing::CollectorProcess> collector_;
};

TEST_F(VigiectlEndToEndTest, AuditorsWorkFromLoginToLogout) {
  // A wrong password: refused with the collector's message, no session kept.
  RunResult result =
      ctl({"login", "--url", collector_->url(), "--ca", data_dir_ + "/ca.pem", "--user", "dpo1"},
          "not the password\n");
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("login refused"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("HTTP 401"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(session_file_));

  // The CRM's feed, through the integration account.
  login("integ");
  struct stat info {};
  ASSERT_EQ(::stat(session_file_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(readFile(session_file_).find(kPassword), std::string::npos);

  const std::string values_csv = dir_.file("values.csv");
  std::ofstream(values_csv) << "id,time,user,record_id,action,fields,iban\n"
                               "A-9,2026-11-29T10:04:00.000Z,jdupont,C-1042,update,iban,FR76\n";
  result = ctl({"import-crm", values_csv});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("unknown column 'iban'"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("nothing sent"), std::string::npos) << result.err;

  const std::string crm_file = dir_.file("crm-audit.csv");
  std::ofstream(crm_file) << crmCsv();
  result = ctl({"import-crm", crm_file});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("6 accepted, 0 duplicates"), std::string::npos) << result.out;
  result = ctl({"import-crm", crm_file});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("0 accepted, 6 duplicates"), std::string::npos) << result.out;

  // The record's history, seen by a DPO: pseudonyms, never the login.
  login("dpo1");
  result = ctl({"record", "C-1042", "--json", "--all"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out.find("jdupont"), std::string::npos) << result.out;
  const std::vector<std::string> items = lines(result.out);
  ASSERT_EQ(items.size(), 5u) << result.out;
  std::string pseudonym;
  for (const auto& line : items) {
    auto item = protocol::json::parse(line);
    ASSERT_TRUE(item.isOk()) << line;
    const auto* user = item->find("user");
    ASSERT_NE(user, nullptr) << line;
    EXPECT_TRUE(std::regex_match(user->string, std::regex("p-[0-9a-f]{10}"))) << line;
    EXPECT_EQ(item->find("record_id")->string, "C-1042");
    if (pseudonym.empty()) pseudonym = user->string;
    EXPECT_EQ(user->string, pseudonym) << "one person, one pseudonym";
  }

  result = ctl({"record", "C-1042"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(lines(result.out).size(), 6u) << result.out;  // header and five rows
  EXPECT_NE(result.out.find(pseudonym), std::string::npos);
  EXPECT_EQ(result.out.find("jdupont"), std::string::npos);

  // CSV follows every page: --limit 2 makes three of them.
  const std::string csv_file = dir_.file("out/c-1042.csv");
  std::filesystem::create_directories(dir_.file("out"));
  result = ctl({"record", "C-1042", "--limit", "2", "--csv", csv_file, "--progress"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.err.find("5 rows, page 3"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("5 rows in 3 pages written to " + csv_file), std::string::npos)
      << result.err;
  const std::vector<std::string> csv_lines = lines(readFile(csv_file));
  ASSERT_EQ(csv_lines.size(), 6u) << readFile(csv_file);
  EXPECT_EQ(csv_lines[0], "time,source,type,user,team,device,host,brand,record_id,details");
  ASSERT_EQ(::stat(csv_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(csv_file + ".part"));

  result = ctl({"record", "C-1042", "--limit", "2", "--csv", "-"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(lines(result.out).size(), 6u) << result.out;

  result = ctl({"record", "C-1042", "--from", "2026-13-01"});
  EXPECT_EQ(result.exit_code, 2) << describe(result);

  // Revealing the person takes two DPOs.
  result = ctl({"reveal", "request", pseudonym, "--reason", "case 2026-42: disputed IBAN change"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(result.out, match, std::regex("reveal request (\\S+) pending")))
      << result.out;
  const std::string reveal_id = match[1];
  result = ctl({"reveal", "approve", reveal_id});
  EXPECT_EQ(result.exit_code, 1) << "the requester approved their own request: "
                                 << describe(result);
  result = ctl({"reveal", "show", reveal_id});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out.find("jdupont"), std::string::npos) << "revealed before approval";

  login("dpo2");
  result = ctl({"reveal", "list"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find(reveal_id), std::string::npos) << result.out;
  result = ctl({"reveal", "approve", reveal_id});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("approved"), std::string::npos) << result.out;

  login("dpo1");
  result = ctl({"reveal", "show", reveal_id});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("jdupont"), std::string::npos) << result.out;

  // Everything above is in the trail, and the chain holds.
  result = ctl({"trail", "verify"});
  EXPECT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("intact"), std::string::npos) << result.out;
  result = ctl({"trail", "--all", "--json"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_GE(lines(result.out).size(), 10u) << result.out;

  // An auditor may not read the trail.
  login("auditor1");
  result = ctl({"trail", "verify"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("HTTP 403"), std::string::npos) << result.err;

  // Logout ends the token on the collector, not only the file.
  const std::string saved = readFile(session_file_);
  result = ctl({"logout"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_FALSE(std::filesystem::exists(session_file_));
  result = ctl({"record", "C-1042"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("log in first"), std::string::npos) << result.err;

  { std::ofstream(session_file_) << saved; }
  ASSERT_EQ(::chmod(session_file_.c_str(), 0600), 0);
  result = ctl({"whoami"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("HTTP 401"), std::string::npos) << result.err;
}

TEST_F(VigiectlEndToEndTest, DetectionFromCallsAndShiftsToAClosedAlert) {
  addAccount("admin1", "admin", "");
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto at = [&](int minutes_ago) { return protocol::formatUtcMillis(now - minutes_ago * 60'000); };

  // Calls from the telephony system: a bad row refuses the file, naming its line, and nothing is
  // sent (the good file's three calls are all accepted afterwards).
  login("integ");
  const std::string bad_calls = dir_.file("bad-calls.csv");
  std::ofstream(bad_calls) << "id,agent,start,end,record_id\n"
                              "T-1,jdupont," +
                                  at(30) + "," + at(25) +
                                  ",C-1042\n"
                                  "T-2,j dupont," +
                                  at(20) + "," + at(15) + ",C-2000\n";
  RunResult result = ctl({"calls", "import", bad_calls});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("line 3: agent must be a login"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("nothing sent"), std::string::npos) << result.err;

  const std::string calls = dir_.file("calls.csv");
  std::ofstream(calls) << "id,kind,agent,start,end,record_id,campaign\n"
                          "T-1,call,jdupont," +
                              at(30) + "," + at(25) +
                              ",C-1042,recouvrement\n"
                              "T-2,ticket,jdupont," +
                              at(20) + "," + at(15) +
                              ",,\n"
                              "T-3,,mmartin," +
                              at(10) + "," + at(5) + ",C-2000,\n";
  result = ctl({"calls", "import", calls});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("3 accepted, 0 duplicates (3 calls in 1 request)"), std::string::npos)
      << result.out;
  result = ctl({"calls", "import", calls});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("0 accepted, 3 duplicates"), std::string::npos) << result.out;

  // More than 1000 calls go in several requests.
  const std::string many_calls = dir_.file("many-calls.csv");
  {
    std::ofstream out(many_calls);
    out << "id,agent,start,end\n";
    for (int i = 0; i < 1001; ++i)
      out << "M-" << i << ",agent" << i % 7 << "," << at(60) << "," << at(59) << "\n";
  }
  result = ctl({"calls", "import", many_calls});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("1 001 accepted, 0 duplicates (1 001 calls in 2 requests)"),
            std::string::npos)
      << result.out;

  // Working hours, set by an administrator.
  login("admin1");
  const std::string shifts = dir_.file("shifts.csv");
  std::ofstream(shifts) << "who,days,start,end\n"
                           "jdupont,mon-fri,08:00,16:30\n"
                           "team:recouvrement,sat-sun,22:00,06:00\n";
  result = ctl({"shifts", "import", shifts});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("2 accepted"), std::string::npos) << result.out;
  std::ofstream(dir_.file("bad-shifts.csv")) << "who,days,start,end\nmmartin,mon-xyz,08:00,16:00\n";
  result = ctl({"shifts", "import", dir_.file("bad-shifts.csv")});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("line 2: bad days 'mon-xyz'"), std::string::npos) << result.err;
  result = ctl({"shifts", "list"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("mon-fri 08:00-16:30"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("team:recouvrement"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("mmartin"), std::string::npos) << result.out;

  // A colleague's record on the watch-list, then viewed through a real agent: the real-time
  // engine raises a watchlist alert.
  login("dpo1");
  result = ctl({"watchlist", "add", "C-1042", "--kind", "colleague", "--login", "jdupont",
                "--reason", "jdupont's own customer record", "--brand", "Acme"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("colleague"), std::string::npos) << result.out;
  result = ctl({"watchlist", "list"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("C-1042"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("jdupont "), std::string::npos) << "the login shows: " << result.out;

  vigie::testing::EnrolledAgent agent(dir_.file("agent"), dir_.file("agent.sock"));
  agent.enroll(collector_->url(), data_dir_, "PC-114");
  agent.start();
  agent.sendViews({"C-1042"});
  std::vector<std::string> alerts;
  for (int i = 0; i < 300 && alerts.empty(); ++i) {
    result = ctl({"alerts", "list", "--rule", "watchlist", "--json"});
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    alerts = lines(result.out);
    if (alerts.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(alerts.size(), 1u) << result.out;
  auto alert = protocol::json::parse(alerts[0]);
  ASSERT_TRUE(alert.isOk()) << alerts[0];
  const std::string id = std::to_string(alert->find("id")->magnitude);
  EXPECT_EQ(alert->find("status")->string, "open");
  EXPECT_TRUE(std::regex_match(alert->find("person")->string, std::regex("p-[0-9a-f]{10}")))
      << alerts[0];

  result = ctl({"alerts", "list", "--status", "open"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("watchlist"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("colleague's customer record C-1042"), std::string::npos) << result.out;
  result = ctl({"alerts", "list", "--limit", "1", "--status", "closed"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.err.find("no alerts"), std::string::npos) << result.err;

  result = ctl({"alerts", "show", id});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("evidence:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("crm.view"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("PC-114"), std::string::npos) << result.out;

  result = ctl({"alerts", "ack", id, "--comment", "looking into it"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("alert " + id + ": acknowledged"), std::string::npos) << result.out;
  result = ctl({"alerts", "list", "--status", "acknowledged", "--json"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(lines(result.out).size(), 1u) << result.out;

  result = ctl({"alerts", "close", id, "--verdict", "true_positive", "--comment",
                "confirmed with the team leader"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("alert " + id + ": closed (true_positive)"), std::string::npos)
      << result.out;
  result = ctl({"alerts", "show", id, "--json"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find(R"("verdict":"true_positive")"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("confirmed with the team leader"), std::string::npos) << result.out;
  result = ctl({"alerts", "show", "999999"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);

  result = ctl({"watchlist", "remove", "C-1042", "--brand", "Acme"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  result = ctl({"watchlist", "list"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out.find("C-1042"), std::string::npos) << result.out;

  // The rules' settings, and a retrospective run over the stored events, waited for.
  result = ctl({"detect", "policy"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("watchlist"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("off_shift"), std::string::npos) << result.out;
  result =
      ctl({"detect", "run", "--days", "2", "--rule", "volume", "--rule", "watchlist", "--wait"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  ASSERT_TRUE(std::regex_search(result.out, std::regex("run \\d+: done, \\d+ events, \\d+ alerts")))
      << result.out;
  result = ctl({"detect", "runs"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("done"), std::string::npos) << result.out;
  result = ctl({"detect", "run", "--rule", "no_such_rule"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
}

TEST_F(VigiectlEndToEndTest, PolicyActivatedThenDescribedInTheCompliancePack) {
  addAccount("admin1", "admin", "");
  login("admin1");
  RunResult result = ctl({"policy", "show"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("no workstation policy was activated yet"), std::string::npos)
      << result.err;

  // A bad file is refused by the collector with the member named; nothing is activated.
  const std::string bad = dir_.file("bad.json");
  std::ofstream(bad) << R"({"policy_version": "x", "clipboard": "some"})";
  result = ctl({"policy", "activate", bad});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("clipboard"), std::string::npos) << result.err;
  EXPECT_EQ(ctl({"policy", "activate", dir_.file("missing.json")}).exit_code, 1);

  const std::string good = dir_.file("policy.json");
  std::ofstream(good) << R"({"policy_version": "site-7", "clipboard": "named", "print": true,
    "notice": {"controller": "Acme Contact SAS", "contact": "dpo@acme.example",
               "purposes": ["Security of customer data"], "recipients": ["Security team"]}})";
  result = ctl({"policy", "activate", good});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("policy 1 (site-7) activated and signed"), std::string::npos)
      << result.out;
  result = ctl({"policy", "activate", good});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("policy 1 (site-7) already says this"), std::string::npos)
      << result.out;
  result = ctl({"policy", "show"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("site-7"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(R"("serial":1,"activated":)"), std::string::npos) << result.out;
  result = ctl({"policy", "history", "--json"});
  EXPECT_NE(result.out.find(R"("activated_by":"admin1")"), std::string::npos) << result.out;

  const std::string pack = dir_.file("pack");
  result = ctl({"compliance-pack", "--out", pack});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  for (const char* part : {"processing", "notice", "dpia"}) {
    std::ifstream file(pack + "/" + part + ".md");
    const std::string text{std::istreambuf_iterator<char>(file), {}};
    EXPECT_NE(text.find("site-7 (serial 1"), std::string::npos) << part << ": " << text;
  }
  std::ifstream notice(pack + "/notice.md");
  const std::string text{std::istreambuf_iterator<char>(notice), {}};
  EXPECT_NE(text.find("Security of customer data"), std::string::npos) << text;
  EXPECT_NE(text.find("| access | 183 days |"), std::string::npos) << text;
  EXPECT_EQ(ctl({"compliance-pack"}).exit_code, 2);

  // An auditor may read neither the pack's source nor change it.
  login("auditor1");
  EXPECT_EQ(ctl({"policy", "activate", good}).exit_code, 1);
  EXPECT_EQ(ctl({"compliance-pack", "--out", pack}).exit_code, 1);
}

TEST_F(VigiectlEndToEndTest, FleetListsWorkstationsByStatusAndShowsOne) {
  addAccount("fleet1", "fleet", "");
  // PC-31 runs and sends heartbeats every second; PC-32 enrolled but never started.
  vigie::testing::EnrolledAgent running(dir_.file("agent-31"), dir_.file("agent-31.sock"));
  running.enroll(collector_->url(), data_dir_, "PC-31");
  vigie::testing::EnrolledAgent idle(dir_.file("agent-32"), dir_.file("agent-32.sock"));
  idle.enroll(collector_->url(), data_dir_, "PC-32");
  running.start({"--heartbeat-seconds", "1"});
  login("fleet1");

  RunResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do {
    result = ctl({"fleet", "list", "--status", "healthy"});
    if (result.out.find("PC-31") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("PC-31"), std::string::npos) << describe(result);
  EXPECT_NE(result.out.find("last heartbeat"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("PC-32"), std::string::npos) << result.out;

  result = ctl({"fleet", "list", "--status", "unknown", "--json"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find(R"("device":"PC-32")"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("PC-31"), std::string::npos) << result.out;

  result = ctl({"fleet", "show", "PC-31"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("healthy"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("agent_version:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("session sensors:"), std::string::npos) << result.out;
  result = ctl({"fleet", "show", "PC-99"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("no enrolled device PC-99"), std::string::npos) << result.err;
  result = ctl({"fleet", "list", "--status", "asleep"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("status must be"), std::string::npos) << result.err;

  login("auditor1");
  result = ctl({"fleet", "list"});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("403"), std::string::npos) << result.err;
}

TEST_F(VigiectlBinaryTest, UsageErrorsExitTwoAndHelpListsEveryCommand) {
  RunResult result = ctl({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* command :
       {"login",           "logout",          "whoami",         "record",
        "timeline",        "exports",         "incidents",      "reveal request",
        "reveal list",     "reveal approve",  "reveal deny",    "reveal show",
        "trail",           "trail verify",    "import-crm",     "accounts list",
        "accounts add",    "accounts remove", "people set",     "devices assign",
        "fleet list",      "fleet show",      "retention show", "retention set",
        "retention purge", "holds list",      "holds add",      "holds release",
        "brand export",    "brand delete",    "calls import",   "shifts import",
        "shifts list",     "watchlist list",  "watchlist add",  "watchlist remove",
        "alerts list",     "alerts show",     "alerts ack",     "alerts close",
        "detect policy",   "detect run",      "detect runs",    "policy activate",
        "policy show",     "policy history",  "compliance-pack"}) {
    EXPECT_NE(result.out.find(std::string("vigiectl ") + command), std::string::npos) << command;
    std::vector<std::string> args;
    std::istringstream words(command);
    for (std::string word; words >> word;) args.push_back(word);
    args.push_back("--help");
    const RunResult help = ctl(args);
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find(std::string("Usage: vigiectl ") + command), std::string::npos)
        << help.out;
  }
  EXPECT_EQ(ctl({"bogus"}).exit_code, 2);
  EXPECT_EQ(ctl({"record"}).exit_code, 2);
  EXPECT_EQ(ctl({"record", "C-1", "--limit", "0"}).exit_code, 2);
  EXPECT_EQ(ctl({"record", "C-1", "--bogus"}).exit_code, 2);
  EXPECT_EQ(ctl({"brand", "delete", "acme", "--confirm", "acm"}).exit_code, 2);
  EXPECT_EQ(ctl({"alerts", "close", "1", "--verdict", "maybe", "--comment", "x"}).exit_code, 2);
  EXPECT_EQ(ctl({"watchlist", "add", "C-1", "--kind", "colleague", "--reason", "x"}).exit_code, 2);
  EXPECT_EQ(ctl({"detect", "run", "--days", "3", "--from", "2026-01-01"}).exit_code, 2);
  EXPECT_EQ(ctl({"login", "--url", "http://127.0.0.1:1", "--ca", "x", "--user", "u"}).exit_code, 2);
  result = ctl({"whoami"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("log in first"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace vigie::ctl
