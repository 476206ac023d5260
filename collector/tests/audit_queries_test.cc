#include "audit/audit_queries.h"

#include <gtest/gtest.h>

#include <set>

#include "audit_fixture.h"
#include "vigie/protocol/json.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;
using protocol::EventType;
using Strings = std::vector<std::string>;

const int64_t kT0 = utc("2026-11-29T10:00:00.000Z");

std::string textOf(const json::Value& object, const char* key) {
  const json::Value* value = object.find(key);
  if (value == nullptr) return std::string("<no ") + key + ">";
  if (value->kind != json::Value::Kind::kString) return std::string("<not text: ") + key + ">";
  return value->string;
}

std::vector<json::Value> itemsOf(const AuditPage& page) {
  auto parsed = json::parse(page.items);
  EXPECT_TRUE(parsed.isOk()) << parsed.status().toString() << "\n" << page.items;
  if (!parsed.isOk()) return {};
  EXPECT_EQ(parsed->kind, json::Value::Kind::kArray);
  EXPECT_EQ(parsed->array.size(), page.count);
  for (const json::Value& item : parsed->array) EXPECT_EQ(item.kind, json::Value::Kind::kObject);
  return parsed->array;
}

// "HH:MM type" for each item: enough to check which items came, in which order.
Strings summaryOf(const std::vector<json::Value>& items) {
  Strings out;
  for (const json::Value& item : items) {
    out.push_back(textOf(item, "time").substr(11, 5) + " " + textOf(item, "type"));
  }
  return out;
}

class AuditQueriesTest : public AuditFixtureOnBoth {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    if (HasFatalFailure()) return;
    addDevice("dev-a", "PC-114");
    addDevice("dev-b", "PC-200");  // never assigned to a brand
    ASSERT_TRUE(audit_->directory.assignDevice("dev-a", "acme").isOk());
    ASSERT_TRUE(audit_->directory.setPerson("jdupont", "recouvrement", {}).isOk());
    ASSERT_TRUE(audit_->directory.setPerson("mlefevre", "accueil", {}).isOk());

    writeEvents("dev-a",
                {crmView("jdupont", at(0), "C-1042"),  // brand of the device: acme
                 clipboardCopy("jdupont", at(1), true), clipboardCopy("jdupont", at(2), false),
                 makeEvent(EventType::kFileExport, "jdupont", at(3)),
                 crmView("jdupont", at(5), "C-1042", "zeta"),  // its own brand wins
                 makeEvent(EventType::kPrintJob, "mlefevre", at(9))});
    writeEvents("dev-b", {crmView("mlefevre", at(6), "C-1042"),  // no brand
                          clipboardCopy("mlefevre", at(7), true)});
    storeCrm("acme", {crmRecord("A-77", at(4), "jdupont", "C-1042", "update", {"iban", "address"}),
                      crmRecord("A-78", at(8), "jdupont", "C-2000", "export")});
    jdupont_ = audit_->pseudonyms.of("jdupont");
    mlefevre_ = audit_->pseudonyms.of("mlefevre");
  }

  static int64_t at(int minutes) { return kT0 + minutes * kMinuteMs; }

  static AuditQuery question(Question which) {
    AuditQuery query;
    query.question = which;
    query.from_ms = kT0;
    query.to_ms = kT0 + kHourMs;
    return query;
  }

  static AuditQuery record(const std::string& id) {
    AuditQuery query = question(Question::kRecord);
    query.record_id = id;
    return query;
  }

  AuditPage run(const AuditQuery& query) {
    auto page = audit_->queries.run(query);
    EXPECT_TRUE(page.isOk()) << page.status().toString();
    return page.isOk() ? *page : AuditPage{};
  }

  Strings summary(const AuditQuery& query) { return summaryOf(itemsOf(run(query))); }

  // Every item of `query`, a page of `limit` at a time.
  std::vector<json::Value> walk(AuditQuery query, size_t limit, size_t* pages) {
    query.limit = limit;
    query.after.reset();
    std::vector<json::Value> all;
    *pages = 0;
    for (int guard = 0; guard < 100; ++guard) {
      const AuditPage page = run(query);
      ++*pages;
      EXPECT_LE(page.count, limit);
      for (json::Value& item : itemsOf(page)) all.push_back(std::move(item));
      if (!page.next) break;
      const std::string encoded = page.next->encode();
      const auto decoded = Cursor::decode(encoded);
      EXPECT_TRUE(decoded.has_value()) << encoded;
      if (!decoded) break;
      EXPECT_EQ(decoded->encode(), encoded);
      query.after = decoded;
    }
    return all;
  }

  std::string jdupont_;
  std::string mlefevre_;
};

TEST_P(AuditQueriesTest, RecordHistoryJoinsWorkstationAndCrmInTimeOrder) {
  const AuditPage page = run(record("C-1042"));
  const auto items = itemsOf(page);
  EXPECT_EQ(summaryOf(items),
            (Strings{"10:00 crm.view", "10:04 crm.update", "10:05 crm.view", "10:06 crm.view"}));
  EXPECT_FALSE(page.next.has_value());
  ASSERT_EQ(items.size(), 4u);

  const json::Value& view = items[0];
  EXPECT_EQ(textOf(view, "time"), "2026-11-29T10:00:00.000Z");
  EXPECT_EQ(textOf(view, "source"), "workstation");
  EXPECT_EQ(textOf(view, "user"), jdupont_);
  EXPECT_EQ(textOf(view, "team"), "recouvrement");
  EXPECT_EQ(textOf(view, "device"), "dev-a");
  EXPECT_EQ(textOf(view, "host"), "PC-114");
  EXPECT_EQ(textOf(view, "brand"), "acme");
  EXPECT_EQ(textOf(view, "record_id"), "C-1042");
  EXPECT_EQ(view.find("integrity"), nullptr);
  const json::Value* details = view.find("details");
  ASSERT_NE(details, nullptr);
  ASSERT_EQ(details->kind, json::Value::Kind::kObject);
  EXPECT_EQ(textOf(*details, "app"), "crm-web");
  EXPECT_EQ(textOf(*details, "screen"), "customer");
  EXPECT_EQ(textOf(*details, "mode"), "view");

  const json::Value& change = items[1];
  EXPECT_EQ(textOf(change, "source"), "crm");
  EXPECT_EQ(textOf(change, "user"), jdupont_);
  EXPECT_EQ(textOf(change, "team"), "recouvrement");
  EXPECT_EQ(textOf(change, "brand"), "acme");
  EXPECT_EQ(textOf(change, "record_id"), "C-1042");
  EXPECT_EQ(change.find("device"), nullptr);
  EXPECT_EQ(change.find("host"), nullptr);
  const json::Value* crm = change.find("details");
  ASSERT_NE(crm, nullptr);
  EXPECT_EQ(textOf(*crm, "action"), "update");
  EXPECT_EQ(textOf(*crm, "crm_id"), "A-77");
  const json::Value* fields = crm->find("fields");
  ASSERT_NE(fields, nullptr);
  ASSERT_EQ(fields->array.size(), 2u);
  EXPECT_EQ(fields->array[0].string, "iban");
  EXPECT_EQ(fields->array[1].string, "address");

  EXPECT_EQ(textOf(items[2], "brand"), "zeta");
  EXPECT_EQ(textOf(items[3], "brand"), "");
  EXPECT_EQ(textOf(items[3], "user"), mlefevre_);
  EXPECT_EQ(textOf(items[3], "team"), "accueil");
  EXPECT_EQ(textOf(items[3], "host"), "PC-200");

  // People appear only as pseudonyms.
  EXPECT_EQ(page.items.find("jdupont"), std::string::npos);
  EXPECT_EQ(page.items.find("mlefevre"), std::string::npos);
}

TEST_P(AuditQueriesTest, CrmItemWithoutFieldsAndEventIntegrityAreShown) {
  writeEvents("dev-b", {crmView("mlefevre", at(12), "C-2000")}, {}, Integrity::kBadMac);
  const auto items = itemsOf(run(record("C-2000")));
  EXPECT_EQ(summaryOf(items), (Strings{"10:08 crm.export", "10:12 crm.view"}));
  ASSERT_EQ(items.size(), 2u);
  const json::Value* fields = items[0].find("details")->find("fields");
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(fields->kind, json::Value::Kind::kArray);
  EXPECT_TRUE(fields->array.empty());
  EXPECT_EQ(textOf(items[0], "record_id"), "C-2000");
  EXPECT_EQ(textOf(items[1], "integrity"), "bad_mac");
}

TEST_P(AuditQueriesTest, NoLoginAppearsInAnyAnswer) {
  for (Question which : {Question::kTimeline, Question::kExports}) {
    AuditQuery query = question(which);
    query.login = "jdupont";
    const AuditPage page = run(query);
    EXPECT_GT(page.count, 0u);
    EXPECT_EQ(page.items.find("jdupont"), std::string::npos) << page.items;
    EXPECT_EQ(page.items.find("mlefevre"), std::string::npos) << page.items;
  }
}

TEST_P(AuditQueriesTest, PagingWalksEveryItemOnce) {
  const auto whole = itemsOf(run(record("C-1042")));
  ASSERT_EQ(whole.size(), 4u);
  for (size_t limit : {1u, 2u, 3u, 4u, 5u}) {
    size_t pages = 0;
    const auto walked = walk(record("C-1042"), limit, &pages);
    EXPECT_EQ(summaryOf(walked), summaryOf(whole)) << "limit " << limit;
    EXPECT_EQ(pages, (whole.size() + limit - 1) / limit) << "limit " << limit;
  }
  // The same over a bigger question, mixing both sources.
  AuditQuery timeline = question(Question::kTimeline);
  timeline.login = "jdupont";
  size_t pages = 0;
  EXPECT_EQ(summaryOf(walk(timeline, 1, &pages)), summary(timeline));
  EXPECT_EQ(pages, 7u);
}

TEST_P(AuditQueriesTest, PagingHoldsWhenManyItemsShareATime) {
  const int64_t same = at(20);
  writeEvents("dev-b", {crmView("mlefevre", same, "C-7"), crmView("mlefevre", same, "C-7"),
                        crmView("mlefevre", same, "C-7")});
  storeCrm("acme", {crmRecord("S-1", same, "mlefevre", "C-7", "update", {"a"}),
                    crmRecord("S-2", same, "mlefevre", "C-7", "update", {"b"})});
  size_t pages = 0;
  const auto walked = walk(record("C-7"), 1, &pages);
  ASSERT_EQ(walked.size(), 5u);
  EXPECT_EQ(pages, 5u);
  // Workstation events first, then CRM records, each in the order they were stored.
  EXPECT_EQ(textOf(walked[0], "source"), "workstation");
  EXPECT_EQ(textOf(walked[2], "source"), "workstation");
  EXPECT_EQ(textOf(*walked[3].find("details"), "crm_id"), "S-1");
  EXPECT_EQ(textOf(*walked[4].find("details"), "crm_id"), "S-2");
  size_t two_pages = 0;
  EXPECT_EQ(summaryOf(walk(record("C-7"), 2, &two_pages)), summaryOf(walked));
  EXPECT_EQ(two_pages, 3u);
}

TEST(CursorTest, EncodesAndDecodes) {
  const Cursor cursor{1764337698123, 1, 42};
  EXPECT_EQ(cursor.encode(), "1764337698123.1.42");
  const auto decoded = Cursor::decode(cursor.encode());
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->time_ms, 1764337698123);
  EXPECT_EQ(decoded->source, 1);
  EXPECT_EQ(decoded->row, 42);
  const auto zero = Cursor::decode("0.0.0");
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero->source, 0);
}

TEST(CursorTest, GarbageIsRefused) {
  for (const char* bad : {"",
                          ".",
                          "..",
                          "1",
                          "1.0",
                          "1.0.",
                          ".0.1",
                          "1..1",
                          "a.0.1",
                          "1.0.b",
                          "1.2.3",
                          "1.-1.3",
                          "1.0.1.2",
                          " 1.0.1",
                          "1.0.1 ",
                          "1.0x.1",
                          "0x10.0.1",
                          "99999999999999999999.0.1",
                          "1.0.99999999999999999999",
                          "1,0,1",
                          "+1.0.1"}) {
    EXPECT_FALSE(Cursor::decode(bad).has_value()) << bad;
  }
}

TEST_P(AuditQueriesTest, BrandQuestionSeesOnlyThatBrand) {
  AuditQuery acme = record("C-1042");
  acme.brand = "acme";
  EXPECT_EQ(summary(acme), (Strings{"10:00 crm.view", "10:04 crm.update"}));
  AuditQuery zeta = record("C-1042");
  zeta.brand = "zeta";
  EXPECT_EQ(summary(zeta), (Strings{"10:05 crm.view"}));
  // Events of an unassigned workstation belong to no brand.
  AuditQuery none = record("C-1042");
  none.brand = "";
  const auto unassigned = itemsOf(run(none));
  EXPECT_EQ(summaryOf(unassigned), (Strings{"10:06 crm.view"}));
  ASSERT_EQ(unassigned.size(), 1u);
  EXPECT_EQ(textOf(unassigned[0], "device"), "dev-b");
  AuditQuery other = record("C-1042");
  other.brand = "globex";
  EXPECT_TRUE(summary(other).empty());

  AuditQuery exports = question(Question::kExports);
  exports.brand = "acme";
  EXPECT_EQ(summary(exports),
            (Strings{"10:01 clipboard.copy", "10:02 clipboard.copy", "10:03 file.export",
                     "10:08 crm.export", "10:09 print.job"}));
}

TEST_P(AuditQueriesTest, DeviceBrandAppliesToLaterBatches) {
  EXPECT_EQ(audit_->directory.assignDevice("dev-unknown", "acme").code(), Status::Code::kNotFound);
  ASSERT_TRUE(audit_->directory.assignDevice("dev-b", "acme").isOk());
  writeEvents("dev-b", {crmView("mlefevre", at(10), "C-1042"),
                        crmView("mlefevre", at(11), "C-1042", "zeta")});

  AuditQuery acme = record("C-1042");
  acme.brand = "acme";
  EXPECT_EQ(summary(acme), (Strings{"10:00 crm.view", "10:04 crm.update", "10:10 crm.view"}));
  AuditQuery zeta = record("C-1042");
  zeta.brand = "zeta";
  EXPECT_EQ(summary(zeta), (Strings{"10:05 crm.view", "10:11 crm.view"}));
  // What was stored before the assignment keeps its brand.
  AuditQuery none = record("C-1042");
  none.brand = "";
  EXPECT_EQ(summary(none), (Strings{"10:06 crm.view"}));

  auto fleet = audit_->directory.fleet();
  ASSERT_TRUE(fleet.isOk());
  ASSERT_EQ(fleet->size(), 2u);
  EXPECT_EQ((*fleet)[0].device_id, "dev-a");
  EXPECT_EQ((*fleet)[0].brand, "acme");
  EXPECT_EQ((*fleet)[1].device_id, "dev-b");
  EXPECT_EQ((*fleet)[1].hostname, "PC-200");
  EXPECT_EQ((*fleet)[1].brand, "acme");
  EXPECT_EQ((*fleet)[1].last_seq, 4);
}

TEST_P(AuditQueriesTest, TimelineOfOnePerson) {
  AuditQuery timeline = question(Question::kTimeline);
  timeline.login = "jdupont";
  const auto items = itemsOf(run(timeline));
  EXPECT_EQ(summaryOf(items), (Strings{"10:00 crm.view", "10:01 clipboard.copy",
                                       "10:02 clipboard.copy", "10:03 file.export",
                                       "10:04 crm.update", "10:05 crm.view", "10:08 crm.export"}));
  for (const json::Value& item : items) EXPECT_EQ(textOf(item, "user"), jdupont_);

  timeline.login = "mlefevre";
  EXPECT_EQ(summary(timeline),
            (Strings{"10:06 crm.view", "10:07 clipboard.copy", "10:09 print.job"}));
  timeline.login = "nobody";
  EXPECT_TRUE(summary(timeline).empty());
}

TEST_P(AuditQueriesTest, PeriodIsFromInclusiveToExclusive) {
  AuditQuery timeline = question(Question::kTimeline);
  timeline.login = "jdupont";
  timeline.from_ms = at(1);
  timeline.to_ms = at(3);
  EXPECT_EQ(summary(timeline), (Strings{"10:01 clipboard.copy", "10:02 clipboard.copy"}));
  timeline.from_ms = at(4);
  timeline.to_ms = at(4) + 1;
  EXPECT_EQ(summary(timeline), (Strings{"10:04 crm.update"}));
  timeline.from_ms = at(4) + 1;
  timeline.to_ms = at(5);
  EXPECT_TRUE(summary(timeline).empty());
  timeline.from_ms = at(8) + 1;
  timeline.to_ms = kT0 + kDayMs;
  EXPECT_TRUE(summary(timeline).empty());
}

TEST_P(AuditQueriesTest, ExportsWithAndWithoutPersonalData) {
  AuditQuery exports = question(Question::kExports);
  EXPECT_EQ(summary(exports),
            (Strings{"10:01 clipboard.copy", "10:02 clipboard.copy", "10:03 file.export",
                     "10:07 clipboard.copy", "10:08 crm.export", "10:09 print.job"}));
  exports.pii_only = true;
  const auto with_pii = itemsOf(run(exports));
  EXPECT_EQ(summaryOf(with_pii),
            (Strings{"10:01 clipboard.copy", "10:07 clipboard.copy", "10:08 crm.export"}));
  ASSERT_EQ(with_pii.size(), 3u);
  const json::Value* pii = with_pii[0].find("details")->find("pii");
  ASSERT_NE(pii, nullptr);
  EXPECT_EQ(pii->find("iban")->magnitude, 1u);
}

TEST_P(AuditQueriesTest, PersonalDataPagesStillWalkEveryItemOnce) {
  AuditQuery exports = question(Question::kExports);
  exports.pii_only = true;
  size_t pages = 0;
  EXPECT_EQ(summaryOf(walk(exports, 1, &pages)),
            (Strings{"10:01 clipboard.copy", "10:07 clipboard.copy", "10:08 crm.export"}));
}

TEST_P(AuditQueriesTest, TeamFilterUsesTheDirectory) {
  AuditQuery exports = question(Question::kExports);
  exports.team = "accueil";
  const auto items = itemsOf(run(exports));
  EXPECT_EQ(summaryOf(items), (Strings{"10:07 clipboard.copy", "10:09 print.job"}));
  for (const json::Value& item : items) EXPECT_EQ(textOf(item, "team"), "accueil");

  exports.team = "recouvrement";
  exports.pii_only = true;
  EXPECT_EQ(summary(exports), (Strings{"10:01 clipboard.copy", "10:08 crm.export"}));

  // A move to another team shows at once (the team is the directory's, not the event's).
  ASSERT_TRUE(audit_->directory.setPerson("mlefevre", "recouvrement", {}).isOk());
  exports.pii_only = false;
  exports.team = "accueil";
  EXPECT_TRUE(summary(exports).empty());
  exports.team = "nobody's team";
  EXPECT_TRUE(summary(exports).empty());
}

TEST_P(AuditQueriesTest, IncidentsAreListed) {
  writeEvents("dev-a", {},
              {Incident{"dev-a", 9, "gap", "3 event(s) missing", at(30), false, 6, 8}});
  writeEvents("dev-b", {},
              {Incident{"dev-b", 4, "bad_mac", "mac does not hold", at(40), false, 0, 0}});

  const AuditPage page = run(question(Question::kIncidents));
  const auto items = itemsOf(page);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(page.next.has_value());
  EXPECT_EQ(textOf(items[0], "time"), "2026-11-29T10:30:00.000Z");
  EXPECT_EQ(textOf(items[0], "device"), "dev-a");
  EXPECT_EQ(textOf(items[0], "host"), "PC-114");
  EXPECT_EQ(textOf(items[0], "brand"), "acme");
  EXPECT_EQ(textOf(items[0], "kind"), "gap");
  EXPECT_EQ(textOf(items[0], "detail"), "3 event(s) missing");
  EXPECT_EQ(items[0].find("seq")->magnitude, 9u);
  EXPECT_FALSE(items[0].find("explained")->boolean);
  EXPECT_EQ(textOf(items[1], "device"), "dev-b");
  EXPECT_EQ(textOf(items[1], "kind"), "bad_mac");
  EXPECT_EQ(textOf(items[1], "brand"), "");

  AuditQuery later = question(Question::kIncidents);
  later.from_ms = at(35);
  const auto late = itemsOf(run(later));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(textOf(late[0], "device"), "dev-b");

  AuditQuery paged = question(Question::kIncidents);
  paged.limit = 1;
  const AuditPage first = run(paged);
  EXPECT_EQ(first.count, 1u);
  ASSERT_TRUE(first.next.has_value());
  paged.after = Cursor::decode(first.next->encode());
  const AuditPage second = run(paged);
  const auto rest = itemsOf(second);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(textOf(rest[0], "device"), "dev-b");
  EXPECT_FALSE(second.next.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditQueriesTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
