#include "audit/retention.h"

#include <gtest/gtest.h>

#include <map>

#include "audit/brand_data.h"
#include "audit/purge_timer.h"
#include "audit_fixture.h"
#include "store/postgres/pg_schema.h"
#include "vigie/protocol/json.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;
using protocol::EventType;
using Strings = std::vector<std::string>;

std::string textOfMember(const json::Value& object, const char* key) {
  const json::Value* value = object.find(key);
  if (value == nullptr || value->kind != json::Value::Kind::kString) {
    return std::string("<no text ") + key + ">";
  }
  return value->string;
}

constexpr char kJustification[] = "litigation with client";  // 22 characters

class RetentionTest : public AuditFixtureOnBoth {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    if (HasFatalFailure()) return;
    addDevice("dev-a", "PC-114");
    addDevice("dev-b", "PC-200");
    ASSERT_TRUE(audit_->directory.assignDevice("dev-a", "acme").isOk());
    now_ = clock_.nowUnixMillis();
  }

  int64_t daysAgo(int64_t days) const { return now_ - days * kDayMs; }

  std::map<std::string, int64_t> purge(int64_t* held = nullptr) {
    auto report = audit_->retention.purge();
    EXPECT_TRUE(report.isOk()) << report.status().toString();
    std::map<std::string, int64_t> purged;
    if (!report.isOk()) return purged;
    for (const auto& [name, n] : report->purged) purged[name] = n;
    if (held != nullptr) *held = report->held;
    return purged;
  }

  int64_t events() { return count("SELECT count(*) FROM events"); }
  int64_t crmRows() { return count("SELECT count(*) FROM crm_records"); }

  // One old (184 days) and one recent (182 days) event of each event class, on dev-a (acme), and
  // two old and one recent CRM record of acme.
  void storeOldAndRecent() {
    std::vector<protocol::Event> batch;
    for (EventType type : {EventType::kCrmView, EventType::kClipboardCopy, EventType::kSessionLogon,
                           EventType::kAgentStart}) {
      batch.push_back(makeEvent(type, "jdupont", daysAgo(184)));
      batch.push_back(makeEvent(type, "jdupont", daysAgo(182)));
    }
    writeEvents("dev-a", batch);
    storeCrm("acme", {crmRecord("A-1", daysAgo(200), "jdupont", "C-1", "update"),
                      crmRecord("A-2", daysAgo(184), "jdupont", "C-1", "update"),
                      crmRecord("A-3", daysAgo(182), "jdupont", "C-1", "update")});
  }

  // Old events that holds can tell apart.
  void storeOldForHolds() {
    writeEvents("dev-a", {crmView("jdupont", daysAgo(300), "C-1"),  // acme
                          crmView("mlefevre", daysAgo(300), "C-2", "zeta")});
    writeEvents("dev-b", {clipboardCopy("pmartin", daysAgo(250), false)});  // no brand
    storeCrm("acme", {crmRecord("A-1", daysAgo(300), "jdupont", "C-3", "update")});
  }

  int64_t hold(LegalHold h) {
    h.case_name = "case-1";
    h.reason = "court order";
    h.created_by = "marie";
    auto id = audit_->retention.addHold(h);
    EXPECT_TRUE(id.isOk()) << id.status().toString();
    return id.isOk() ? *id : 0;
  }

  Strings remainingUsers() {
    Strings users;
    EXPECT_TRUE(audit_->db
                    ->with([&](Sql& db) {
                      return db.run(
                          "SELECT user || ':' || coalesce(record_id, '-') FROM events UNION ALL"
                          " SELECT 'crm ' || user || ':' || record_id FROM crm_records ORDER BY 1",
                          {}, [&](const SqlRow& s) { users.push_back(s.text(0)); });
                    })
                    .isOk());
    return users;
  }

  int64_t now_ = 0;
};

TEST_P(RetentionTest, DefaultsAreSixMonthsForEveryClass) {
  auto classes = audit_->retention.classes();
  ASSERT_TRUE(classes.isOk());
  Strings names;
  for (const RetentionClass& c : *classes) {
    names.push_back(c.name);
    EXPECT_EQ(c.days, 183) << c.name;
    EXPECT_EQ(c.justification, "") << c.name;
    EXPECT_TRUE(Retention::isClass(c.name));
  }
  EXPECT_EQ(names, (Strings{"access", "exports", "crm", "sessions", "agent", "calls", "alerts"}));
  EXPECT_FALSE(Retention::isClass("trail"));
}

TEST_P(RetentionTest, SettingsOutsideTheRulesAreRefused) {
  Retention& retention = audit_->retention;
  constexpr auto kInvalid = Status::Code::kInvalidArgument;
  EXPECT_EQ(retention.set("access", 182, "", "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("access", 0, "", "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("access", -5, kJustification, "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("access", 182, kJustification, "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("access", 366, "", "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("access", 366, "nineteen characters", "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("access", 1826, kJustification, "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("access", 400, "a justification\nover two lines", "marie").code(),
            kInvalid);
  EXPECT_EQ(retention.set("access", 400, std::string(1001, 'j'), "marie").code(), kInvalid);
  EXPECT_EQ(retention.set("billing", 200, "", "marie").code(), Status::Code::kNotFound);
  EXPECT_EQ(retention.set("", 200, "", "marie").code(), Status::Code::kNotFound);
  auto unchanged = retention.classes();
  ASSERT_TRUE(unchanged.isOk());
  for (const RetentionClass& c : *unchanged) EXPECT_EQ(c.days, 183) << c.name;
}

TEST_P(RetentionTest, SettingsWithinTheRulesAreKept) {
  Retention& retention = audit_->retention;
  ASSERT_TRUE(retention.set("access", 183, "", "marie").isOk());
  ASSERT_TRUE(retention.set("exports", 365, "", "marie").isOk());
  clock_.advance(1000);
  ASSERT_TRUE(retention.set("crm", 366, "twenty characters!!!", "paul").isOk());
  ASSERT_TRUE(retention.set("sessions", 1825, kJustification, "marie").isOk());
  auto classes = retention.classes();
  ASSERT_TRUE(classes.isOk());
  std::map<std::string, RetentionClass> by_name;
  for (const RetentionClass& c : *classes) by_name[c.name] = c;
  EXPECT_EQ(by_name["access"].days, 183);
  EXPECT_EQ(by_name["exports"].days, 365);
  EXPECT_EQ(by_name["exports"].set_by, "marie");
  EXPECT_EQ(by_name["exports"].set_ms, now_);
  EXPECT_EQ(by_name["crm"].days, 366);
  EXPECT_EQ(by_name["crm"].justification, "twenty characters!!!");
  EXPECT_EQ(by_name["crm"].set_by, "paul");
  EXPECT_EQ(by_name["crm"].set_ms, now_ + 1000);
  EXPECT_EQ(by_name["sessions"].days, 1825);
  EXPECT_EQ(by_name["sessions"].justification, kJustification);
  EXPECT_EQ(by_name["agent"].days, 183);
  EXPECT_EQ(by_name["agent"].set_by, "");

  // A later setting replaces the earlier one.
  ASSERT_TRUE(retention.set("crm", 200, "", "marie").isOk());
  auto replaced = retention.classes();
  ASSERT_TRUE(replaced.isOk());
  for (const RetentionClass& c : *replaced) {
    if (c.name == "crm") {
      EXPECT_EQ(c.days, 200);
      EXPECT_EQ(c.justification, "");
    }
  }
}

TEST_P(RetentionTest, PurgeDeletesWhatIsPastItsRetentionPerClass) {
  storeOldAndRecent();
  ASSERT_EQ(events(), 8);
  int64_t held = -1;
  const auto purged = purge(&held);
  EXPECT_EQ(purged, (std::map<std::string, int64_t>{{"access", 1},
                                                    {"exports", 1},
                                                    {"crm", 2},
                                                    {"sessions", 1},
                                                    {"agent", 1},
                                                    {"calls", 0},
                                                    {"alerts", 0}}));
  EXPECT_EQ(held, 0);
  EXPECT_EQ(events(), 4);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE time_ms < " + std::to_string(daysAgo(183))),
            0);
  EXPECT_EQ(crmRows(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM crm_records WHERE crm_id = 'A-3'"), 1);

  // Nothing more to do until time passes.
  const auto again = purge();
  for (const auto& [name, n] : again) EXPECT_EQ(n, 0) << name;
  clock_.advance(2 * kDayMs);
  const auto later = purge();
  EXPECT_EQ(later, (std::map<std::string, int64_t>{{"access", 1},
                                                   {"exports", 1},
                                                   {"crm", 1},
                                                   {"sessions", 1},
                                                   {"agent", 1},
                                                   {"calls", 0},
                                                   {"alerts", 0}}));
  EXPECT_EQ(events(), 0);
  EXPECT_EQ(crmRows(), 0);
}

TEST_P(RetentionTest, EveryEventTypeBelongsToAClass) {
  std::vector<protocol::Event> old = testing::sampleEventsOfEveryType();
  for (protocol::Event& e : old) e.time_ms = daysAgo(400);
  writeEvents("dev-a", old);
  ASSERT_EQ(events(), static_cast<int64_t>(protocol::kEventTypeCount));
  const auto purged = purge();
  int64_t total = 0;
  for (const auto& [name, n] : purged) total += n;
  EXPECT_EQ(total, static_cast<int64_t>(protocol::kEventTypeCount));
  EXPECT_EQ(events(), 0);
  EXPECT_EQ(purged.at("access"), 2);
  EXPECT_EQ(purged.at("exports"), 3);
  EXPECT_EQ(purged.at("sessions"), 6);
  EXPECT_EQ(purged.at("agent"), 5);
}

TEST_P(RetentionTest, AWorkstationsLastHeartbeatGoesWithTheSessionRecords) {
  protocol::Heartbeat heartbeat;
  heartbeat.agent_version = "0.1.0";
  heartbeat.sessions.push_back({"2", "jdupont", daysAgo(200), protocol::SensorStatus::kConnected});
  ASSERT_TRUE(audit_->heartbeats.record("dev-a", heartbeat, daysAgo(200)).isOk());
  ASSERT_TRUE(audit_->heartbeats.record("dev-b", heartbeat, daysAgo(10)).isOk());
  EXPECT_EQ(purge().at("sessions"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM heartbeats"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM heartbeats WHERE device_id = 'dev-b'"), 1);
}

TEST_P(RetentionTest, LongerRetentionKeepsItsClassOnly) {
  writeEvents("dev-a", {crmView("jdupont", daysAgo(200), "C-1"),
                        clipboardCopy("jdupont", daysAgo(200), false)});
  ASSERT_TRUE(audit_->retention.set("access", 365, "", "marie").isOk());
  const auto purged = purge();
  EXPECT_EQ(purged.at("access"), 0);
  EXPECT_EQ(purged.at("exports"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE type = 'crm.view'"), 1);
}

TEST_P(RetentionTest, HoldOnAUserKeepsTheirEventsAndRecords) {
  storeOldForHolds();
  LegalHold h;
  h.user = "jdupont";
  hold(h);
  int64_t held = -1;
  const auto purged = purge(&held);
  EXPECT_EQ(held, 2);
  EXPECT_EQ(purged.at("access"), 1);
  EXPECT_EQ(purged.at("exports"), 1);
  EXPECT_EQ(purged.at("crm"), 0);
  EXPECT_EQ(remainingUsers(), (Strings{"crm jdupont:C-3", "jdupont:C-1"}));
}

TEST_P(RetentionTest, HoldOnARecordKeepsItsEvents) {
  storeOldForHolds();
  LegalHold h;
  h.record_id = "C-2";
  hold(h);
  int64_t held = -1;
  purge(&held);
  EXPECT_EQ(held, 1);
  EXPECT_EQ(remainingUsers(), (Strings{"mlefevre:C-2"}));
}

// Calls from the CTI and alerts name people too: they are purged by age like the events, and an
// alert is kept by a hold on any record its evidence names (its evidence goes with it).
TEST_P(RetentionTest, CallsAndAlertsArePurgedByAgeUnlessHeld) {
  auto calls = parseCallLines("{\"id\":\"K-1\",\"agent\":\"jdupont\",\"start\":\"" +
                              protocol::formatUtcMillis(daysAgo(200)) + "\",\"end\":\"" +
                              protocol::formatUtcMillis(daysAgo(200) + kMinuteMs) +
                              "\",\"record_id\":\"C-1\"}\n" +
                              "{\"id\":\"K-2\",\"agent\":\"jdupont\",\"start\":\"" +
                              protocol::formatUtcMillis(daysAgo(10)) + "\",\"end\":\"" +
                              protocol::formatUtcMillis(daysAgo(10) + kMinuteMs) + "\"}");
  ASSERT_TRUE(calls.isOk()) << calls.status().toString();
  ASSERT_TRUE(audit_->calls.store("acme", *calls).isOk());
  for (const auto& [key, record, age] :
       {std::tuple{"a:1", "C-1", 200}, std::tuple{"a:2", "C-9", 200},
        std::tuple{"a:3", "C-1", 10}}) {
    AlertDraft draft{key,          "watchlist", Severity::kMedium,
                     "jdupont",    "dev-a",     "acme",
                     daysAgo(age), "why",       {{"dev-a", 1, daysAgo(age), "crm.view", record}},
                     "realtime"};
    ASSERT_TRUE(audit_->alerts.raise(draft).isOk());
  }
  LegalHold h;
  h.record_id = "C-9";
  hold(h);
  int64_t held = -1;
  const auto purged = purge(&held);
  EXPECT_EQ(purged.at("calls"), 1);
  EXPECT_EQ(purged.at("alerts"), 1);
  EXPECT_EQ(held, 1);
  EXPECT_EQ(count("SELECT count(*) FROM calls WHERE call_id = 'K-2'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM alerts WHERE key IN ('a:2', 'a:3')"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM alert_evidence"), 2) << "the purged alert's went with it";
}

TEST_P(RetentionTest, HoldOnABrandKeepsThatBrandOnly) {
  storeOldForHolds();
  LegalHold h;
  h.brand = "acme";
  hold(h);
  int64_t held = -1;
  purge(&held);
  EXPECT_EQ(held, 2);
  EXPECT_EQ(remainingUsers(), (Strings{"crm jdupont:C-3", "jdupont:C-1"}));
}

TEST_P(RetentionTest, HoldOnAPeriodKeepsWhatFallsInIt) {
  storeOldForHolds();
  LegalHold h;
  h.from_ms = daysAgo(251);
  h.to_ms = daysAgo(249);
  hold(h);
  int64_t held = -1;
  purge(&held);
  EXPECT_EQ(held, 1);
  EXPECT_EQ(remainingUsers(), (Strings{"pmartin:-"}));
}

TEST_P(RetentionTest, PeriodEndIsExclusive) {
  storeOldForHolds();
  LegalHold h;
  h.from_ms = daysAgo(260);
  h.to_ms = daysAgo(250);  // the copy is at exactly daysAgo(250)
  hold(h);
  int64_t held = -1;
  purge(&held);
  EXPECT_EQ(held, 0);
  EXPECT_TRUE(remainingUsers().empty());
}

TEST_P(RetentionTest, HoldConditionsAllApply) {
  storeOldForHolds();
  LegalHold h;
  h.user = "jdupont";
  h.brand = "zeta";  // jdupont has nothing of zeta
  hold(h);
  int64_t held = -1;
  purge(&held);
  EXPECT_EQ(held, 0);
  EXPECT_TRUE(remainingUsers().empty());
}

TEST_P(RetentionTest, ReleasedHoldNoLongerProtects) {
  storeOldForHolds();
  LegalHold h;
  h.user = "jdupont";
  const int64_t id = hold(h);
  purge();
  EXPECT_EQ(remainingUsers().size(), 2u);

  clock_.advance(1000);
  ASSERT_TRUE(audit_->retention.releaseHold(id, std::nullopt).isOk());
  int64_t held = -1;
  const auto purged = purge(&held);
  EXPECT_EQ(held, 0);
  EXPECT_EQ(purged.at("access"), 1);
  EXPECT_EQ(purged.at("crm"), 1);
  EXPECT_TRUE(remainingUsers().empty());

  // Released, and still listed.
  auto holds = audit_->retention.holds(std::nullopt);
  ASSERT_TRUE(holds.isOk());
  ASSERT_EQ(holds->size(), 1u);
  EXPECT_EQ(holds->front().id, id);
  EXPECT_EQ(holds->front().released_ms, now_ + 1000);
  EXPECT_EQ(audit_->retention.releaseHold(id, std::nullopt).code(), Status::Code::kNotFound);
}

TEST_P(RetentionTest, HoldsAreListedAndReleasedWithinTheirBrand) {
  LegalHold acme;
  acme.brand = "acme";
  acme.user = "jdupont";
  acme.record_id = "C-1";
  acme.from_ms = 1000;
  acme.to_ms = 2000;
  const int64_t acme_id = hold(acme);
  const int64_t any_id = hold(LegalHold{});

  auto all = audit_->retention.holds(std::nullopt);
  ASSERT_TRUE(all.isOk());
  ASSERT_EQ(all->size(), 2u);
  const LegalHold& first = all->front();
  EXPECT_EQ(first.id, acme_id);
  EXPECT_EQ(first.case_name, "case-1");
  EXPECT_EQ(first.reason, "court order");
  EXPECT_EQ(first.brand, "acme");
  EXPECT_EQ(first.user, "jdupont");
  EXPECT_EQ(first.record_id, "C-1");
  EXPECT_EQ(first.from_ms, 1000);
  EXPECT_EQ(first.to_ms, 2000);
  EXPECT_EQ(first.created_by, "marie");
  EXPECT_EQ(first.created_ms, now_);
  EXPECT_FALSE(first.released_ms.has_value());
  const LegalHold& second = (*all)[1];
  EXPECT_FALSE(second.brand.has_value());
  EXPECT_FALSE(second.user.has_value());
  EXPECT_FALSE(second.record_id.has_value());
  EXPECT_EQ(second.to_ms, INT64_MAX);

  auto acme_only = audit_->retention.holds(std::string("acme"));
  ASSERT_TRUE(acme_only.isOk());
  ASSERT_EQ(acme_only->size(), 1u);
  EXPECT_EQ(acme_only->front().id, acme_id);
  EXPECT_TRUE(audit_->retention.holds(std::string("zeta"))->empty());

  Retention& retention = audit_->retention;
  EXPECT_EQ(retention.releaseHold(acme_id, std::string("zeta")).code(),
            Status::Code::kPermissionDenied);
  // A hold over every brand is not a brand-bound account's to release.
  EXPECT_EQ(retention.releaseHold(any_id, std::string("acme")).code(),
            Status::Code::kPermissionDenied);
  EXPECT_FALSE(retention.holds(std::nullopt)->front().released_ms.has_value());
  EXPECT_TRUE(retention.releaseHold(acme_id, std::string("acme")).isOk());
  EXPECT_TRUE(retention.releaseHold(any_id, std::nullopt).isOk());
  EXPECT_EQ(retention.releaseHold(12345, std::nullopt).code(), Status::Code::kNotFound);
}

TEST_P(RetentionTest, PurgedPeopleAreNoLongerKnownByTheirPseudonym) {
  writeEvents("dev-a", {crmView("pmartin", daysAgo(200), "C-1")});
  storeCrm("acme", {crmRecord("A-1", daysAgo(200), "pmartin", "C-1", "update")});
  writeEvents("dev-a", {crmView("jdupont", daysAgo(1), "C-1")});
  const std::string pmartin = audit_->pseudonyms.of("pmartin");
  // Looked up once while pmartin's records are stored.
  ASSERT_EQ(audit_->pseudonyms.loginOf(pmartin).value(), "pmartin");
  purge();
  ASSERT_EQ(count("SELECT count(*) FROM events WHERE user = 'pmartin'"), 0);
  ASSERT_EQ(count("SELECT count(*) FROM crm_records WHERE user = 'pmartin'"), 0);

  // "Among the people the store knows": no one, now.
  auto login = audit_->pseudonyms.loginOf(pmartin);
  ASSERT_TRUE(login.isOk());
  EXPECT_FALSE(login->has_value()) << **login;
  EXPECT_EQ(audit_->reveals.request({"anne", Role::kAuditor, ""}, pmartin, "complaint about a call")
                .status()
                .code(),
            Status::Code::kNotFound);
  EXPECT_EQ(audit_->pseudonyms.loginOf(audit_->pseudonyms.of("jdupont")).value(), "jdupont");
}

// BrandData --------------------------------------------------------------------------------

// On PostgreSQL the collector gives the purge the store's monthly partitions: events received in
// months no event class keeps any more go whole, unless a legal hold is in force.
class PartitionRetentionTest : public RetentionTest {
 protected:
  void SetUp() override {
    RetentionTest::SetUp();
    if (HasFatalFailure() || GetParam() != Backend::kPostgres) return;
    auto* postgres = dynamic_cast<PostgresStore*>(store_.get());
    ASSERT_NE(postgres, nullptr);
    audit_->retention.setEventSpanDropper(
        [postgres](int64_t before_ms) { return postgres->dropMonthsReceivedBefore(before_ms); });
  }

  // Events received 250 days ago (a month no class keeps), then today's.
  void receiveOldThenRecent() {
    const int64_t today = clock_.nowUnixMillis();
    clock_.set(today - 250 * kDayMs);
    writeEvents("dev-a", {makeEvent(EventType::kCrmView, "jdupont", clock_.nowUnixMillis()),
                          makeEvent(EventType::kAgentStart, "jdupont", clock_.nowUnixMillis())});
    clock_.set(today);
    writeEvents("dev-a", {makeEvent(EventType::kCrmView, "jdupont", today)});
  }

  std::vector<std::string> dropped() {
    auto report = audit_->retention.purge();
    EXPECT_TRUE(report.isOk()) << report.status().toString();
    return report.isOk() ? report->dropped : std::vector<std::string>{};
  }
};

TEST_P(PartitionRetentionTest, MonthsNoClassKeepsAreDroppedWhole) {
  receiveOldThenRecent();
  const std::vector<std::string> months = dropped();
  if (GetParam() == Backend::kSqlCipher) {
    EXPECT_TRUE(months.empty());  // the embedded file deletes rows
  } else {
    EXPECT_EQ(months.size(), 1u);
    EXPECT_EQ(months.front(), pg::monthPartitionOf(clock_.nowUnixMillis() - 250 * kDayMs).name);
  }
  EXPECT_EQ(events(), 1);  // today's, either way
}

TEST_P(PartitionRetentionTest, AHoldInForceKeepsEveryMonth) {
  receiveOldThenRecent();
  LegalHold hold;
  hold.case_name = "case-9";
  hold.reason = "a complaint about C-1";
  hold.user = "jdupont";
  hold.created_by = "dpo1";
  ASSERT_TRUE(audit_->retention.addHold(hold).isOk());
  EXPECT_TRUE(dropped().empty());
  EXPECT_EQ(events(), 3);  // the held person's old events stay
}

class BrandDataTest : public RetentionTest {
 protected:
  void SetUp() override {
    RetentionTest::SetUp();
    if (HasFatalFailure()) return;
    writeEvents("dev-a", {crmView("jdupont", daysAgo(1), "C-1"),          // acme
                          crmView("jdupont", daysAgo(1), "C-2", "zeta"),  // zeta
                          clipboardCopy("mlefevre", daysAgo(1), true)});  // acme
    writeEvents("dev-b", {crmView("pmartin", daysAgo(1), "C-3", "acme"),  // acme
                          clipboardCopy("pmartin", daysAgo(1), false)});  // none
    storeCrm("acme", {crmRecord("A-1", daysAgo(1), "jdupont", "C-1", "update", {"iban", "rib"})});
    storeCrm("zeta", {crmRecord("Z-1", daysAgo(1), "jdupont", "C-2", "update")});
  }

  std::vector<json::Value> exportLines(const std::string& brand) {
    std::vector<json::Value> lines;
    const Status done = audit_->brands.exportAll(brand, [&](std::string_view line) {
      EXPECT_EQ(line.find('\n'), std::string_view::npos);
      auto parsed = json::parse(line);
      EXPECT_TRUE(parsed.isOk()) << line;
      if (parsed.isOk()) lines.push_back(std::move(parsed).value());
      return true;
    });
    EXPECT_TRUE(done.isOk()) << done.toString();
    return lines;
  }
};

TEST_P(BrandDataTest, ExportHoldsOneBrandOnly) {
  const auto lines = exportLines("acme");
  ASSERT_EQ(lines.size(), 4u);
  // The events as the devices sent them, then the CRM records.
  EXPECT_EQ(textOfMember(lines[0], "user"), "jdupont");
  EXPECT_EQ(textOfMember(*lines[0].find("data"), "record_id"), "C-1");
  EXPECT_EQ(textOfMember(lines[1], "type"), "clipboard.copy");
  EXPECT_EQ(textOfMember(lines[1], "user"), "mlefevre");
  EXPECT_EQ(textOfMember(lines[2], "device"), "dev-b");
  EXPECT_EQ(textOfMember(*lines[2].find("data"), "record_id"), "C-3");
  const json::Value* record = lines[3].find("crm_record");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(textOfMember(*record, "id"), "A-1");
  EXPECT_EQ(textOfMember(*record, "user"), "jdupont");
  EXPECT_EQ(textOfMember(*record, "record_id"), "C-1");
  EXPECT_EQ(textOfMember(*record, "action"), "update");
  EXPECT_EQ(textOfMember(*record, "time"), protocol::formatUtcMillis(daysAgo(1)));

  const auto zeta = exportLines("zeta");
  ASSERT_EQ(zeta.size(), 2u);
  EXPECT_EQ(textOfMember(*zeta[0].find("data"), "record_id"), "C-2");
  EXPECT_EQ(textOfMember(*zeta[1].find("crm_record"), "id"), "Z-1");
  EXPECT_TRUE(exportLines("globex").empty());
}

TEST_P(BrandDataTest, ExportStopsWhenTheReaderDoes) {
  int calls = 0;
  ASSERT_TRUE(audit_->brands
                  .exportAll("acme",
                             [&](std::string_view) {
                               ++calls;
                               return false;
                             })
                  .isOk());
  EXPECT_EQ(calls, 1);
}

TEST_P(BrandDataTest, EraseDeletesOneBrandOnly) {
  auto erased = audit_->brands.erase("acme");
  ASSERT_TRUE(erased.isOk()) << erased.status().toString();
  EXPECT_EQ(erased->deleted, 4);
  EXPECT_EQ(erased->held, 0);
  EXPECT_TRUE(exportLines("acme").empty());
  EXPECT_EQ(exportLines("zeta").size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE brand = ''"), 1);
  EXPECT_EQ(events(), 2);
  EXPECT_EQ(crmRows(), 1);
}

TEST_P(BrandDataTest, EraseKeepsWhatAHoldCovers) {
  LegalHold h;
  h.user = "jdupont";  // any brand
  hold(h);
  auto erased = audit_->brands.erase("acme");
  ASSERT_TRUE(erased.isOk());
  EXPECT_EQ(erased->deleted, 2);
  EXPECT_EQ(erased->held, 2);
  const auto left = exportLines("acme");
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(textOfMember(left[0], "user"), "jdupont");
  EXPECT_EQ(textOfMember(*left[1].find("crm_record"), "id"), "A-1");
  EXPECT_EQ(exportLines("zeta").size(), 2u);
}

TEST_P(BrandDataTest, ErasedPeopleAreNoLongerKnownByTheirPseudonym) {
  const std::string mlefevre = audit_->pseudonyms.of("mlefevre");
  ASSERT_EQ(audit_->pseudonyms.loginOf(mlefevre).value(), "mlefevre");
  ASSERT_TRUE(audit_->brands.erase("acme").isOk());
  auto login = audit_->pseudonyms.loginOf(mlefevre);
  ASSERT_TRUE(login.isOk());
  EXPECT_FALSE(login->has_value());
  // jdupont still has zeta's records.
  EXPECT_EQ(audit_->pseudonyms.loginOf(audit_->pseudonyms.of("jdupont")).value(), "jdupont");
}

// PurgeTimer ----------------------------------------------------------------------------------

TEST_P(RetentionTest, PurgeAndRecordWritesTheTrail) {
  storeOldAndRecent();
  auto report = PurgeTimer::purgeAndRecord(*audit_);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(events(), 4);

  auto trail = audit_->trail.list(0, 10);
  ASSERT_TRUE(trail.isOk());
  ASSERT_EQ(trail->size(), 1u);
  const TrailEntry& entry = trail->front();
  EXPECT_EQ(entry.actor, "system");
  EXPECT_EQ(entry.role, "");
  EXPECT_EQ(entry.action, "retention.purge");
  EXPECT_EQ(entry.outcome, 200);
  EXPECT_EQ(entry.time_ms, now_);
  EXPECT_EQ(
      entry.detail,
      R"({"access":1,"exports":1,"crm":2,"sessions":1,"agent":1,"calls":0,"alerts":0,"held":0})");
  EXPECT_TRUE(json::parse(entry.detail).isOk());
  EXPECT_TRUE(audit_->trail.verify()->ok);
}

TEST_P(RetentionTest, PurgeTimerStopsPromptly) {
  // Destroying the timer wakes its thread at once instead of waiting out the hour.
  { PurgeTimer timer(*audit_, std::chrono::hours(1)); }
  EXPECT_TRUE(audit_->trail.list(0, 10)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, BrandDataTest, kBothBackends, backendName);
INSTANTIATE_TEST_SUITE_P(Backends, PartitionRetentionTest, kBothBackends, backendName);
INSTANTIATE_TEST_SUITE_P(Backends, RetentionTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
