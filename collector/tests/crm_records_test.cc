#include "audit/crm_records.h"

#include <gtest/gtest.h>

#include "audit_fixture.h"

namespace vigie::collector {
namespace {

constexpr char kGood[] =
    R"({"id": "A-77", "time": "2026-11-29T10:04:00.000Z", "user": "jdupont", "record_id": )"
    R"("C-1042", "action": "update", "fields": ["iban", "address"]})";

std::string line(const std::string& id, const std::string& extra = "") {
  return R"({"id":")" + id +
         R"(","time":"2026-11-29T10:04:00.000Z","user":"jdupont","record_id":"C-1042",)"
         R"("action":"export")" +
         extra + "}";
}

// The status of a text whose third line is `bad` (line 2 is blank).
Status thirdLine(const std::string& bad) {
  return parseCrmLines(std::string(kGood) + "\n\n" + bad + "\n" + line("A-79")).status();
}

void expectRefusedAtLine3(const std::string& bad, const std::string& mentions = "") {
  const Status status = thirdLine(bad);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << bad;
  EXPECT_TRUE(status.message().starts_with("line 3: ")) << status.message();
  if (!mentions.empty()) {
    EXPECT_NE(status.message().find(mentions), std::string::npos) << status.message();
  }
}

TEST(ParseCrmLinesTest, GoodLinesAreRead) {
  auto records = parseCrmLines(std::string(kGood) + "\r\n\r\n   \n" + line("A-78") + "\r\n");
  ASSERT_TRUE(records.isOk()) << records.status().toString();
  ASSERT_EQ(records->size(), 2u);
  const CrmRecord& first = (*records)[0];
  EXPECT_EQ(first.crm_id, "A-77");
  EXPECT_EQ(first.time_ms, utc("2026-11-29T10:04:00.000Z"));
  EXPECT_EQ(first.user, "jdupont");
  EXPECT_EQ(first.record_id, "C-1042");
  EXPECT_EQ(first.action, "update");
  EXPECT_EQ(first.fields, (std::vector<std::string>{"iban", "address"}));
  const CrmRecord& second = (*records)[1];
  EXPECT_EQ(second.crm_id, "A-78");
  EXPECT_EQ(second.action, "export");
  EXPECT_TRUE(second.fields.empty());
}

TEST(ParseCrmLinesTest, EveryActionIsAccepted) {
  std::string text;
  for (const char* action : {"create", "update", "delete", "export", "merge"}) {
    text += R"({"id":")" + std::string(action) +
            R"(","time":"2026-11-29T10:04:00.000Z","user":"u","record_id":"r","action":")" +
            action + "\"}\n";
  }
  auto records = parseCrmLines(text);
  ASSERT_TRUE(records.isOk()) << records.status().toString();
  ASSERT_EQ(records->size(), 5u);
  EXPECT_EQ((*records)[4].action, "merge");
}

TEST(ParseCrmLinesTest, FieldValuesAndOtherUnknownKeysAreRefused) {
  expectRefusedAtLine3(line("A-78", R"(,"old_value":"FR76 3000")"), "old_value");
  expectRefusedAtLine3(line("A-78", R"(,"new_value":"x")"), "new_value");
  expectRefusedAtLine3(line("A-78", R"(,"values":{"iban":"FR76"})"), "values");
  expectRefusedAtLine3(line("A-78", R"(,"Fields":["iban"])"), "Fields");
}

TEST(ParseCrmLinesTest, BadTimesAreRefused) {
  for (const char* time : {"2026-11-29T10:04:00Z", "2026-11-29 10:04:00.000Z",
                           "2026-13-29T10:04:00.000Z", "2026-02-30T10:04:00.000Z",
                           "2026-11-29T24:00:00.000Z", "1969-12-31T23:59:59.999Z", "yesterday"}) {
    expectRefusedAtLine3(R"({"id":"A-78","time":")" + std::string(time) +
                             R"(","user":"u","record_id":"r","action":"update"})",
                         "time");
  }
  expectRefusedAtLine3(
      R"({"id":"A-78","time":1764337698123,"user":"u","record_id":"r","action":"update"})", "time");
}

TEST(ParseCrmLinesTest, BadActionsAreRefused) {
  for (const char* action : {"read", "Update", "", "update "}) {
    expectRefusedAtLine3(
        R"({"id":"A-78","time":"2026-11-29T10:04:00.000Z","user":"u","record_id":"r","action":")" +
            std::string(action) + "\"}",
        "action");
  }
}

TEST(ParseCrmLinesTest, BadFieldNamesAreRefused) {
  expectRefusedAtLine3(line("A-78", R"(,"fields":["iban","postal code"])"));
  expectRefusedAtLine3(line("A-78", R"(,"fields":[""])"));
  expectRefusedAtLine3(line("A-78", R"(,"fields":["iban",42])"));
  expectRefusedAtLine3(line("A-78", R"(,"fields":"iban")"));
  expectRefusedAtLine3(line("A-78", R"(,"fields":[")" + std::string(65, 'f') + "\"]"));
  // The longest name is accepted.
  EXPECT_TRUE(parseCrmLines(line("A-78", R"(,"fields":[")" + std::string(64, 'f') + "\"]")).isOk());
  EXPECT_TRUE(parseCrmLines(line("A-78", R"(,"fields":["a.b_c-D9"])")).isOk());
}

TEST(ParseCrmLinesTest, AtMost64Fields) {
  auto fields = [](int n) {
    std::string list = R"(,"fields":[)";
    for (int i = 0; i < n; ++i) list += (i ? ",\"f" : "\"f") + std::to_string(i) + "\"";
    return list + "]";
  };
  auto sixty_four = parseCrmLines(line("A-78", fields(64)));
  ASSERT_TRUE(sixty_four.isOk()) << sixty_four.status().toString();
  EXPECT_EQ(sixty_four->front().fields.size(), 64u);
  expectRefusedAtLine3(line("A-78", fields(65)), "fields");
}

TEST(ParseCrmLinesTest, MissingOrEmptyTextIsRefused) {
  expectRefusedAtLine3(R"({"id":"","time":"2026-11-29T10:04:00.000Z","user":"u","record_id":"r",)"
                       R"("action":"update"})",
                       "id");
  expectRefusedAtLine3(R"({"id":"A","time":"2026-11-29T10:04:00.000Z","user":"","record_id":"r",)"
                       R"("action":"update"})",
                       "user");
  expectRefusedAtLine3(R"({"id":"A","time":"2026-11-29T10:04:00.000Z","user":"u","record_id":"",)"
                       R"("action":"update"})",
                       "record_id");
  expectRefusedAtLine3(R"({"id":"A","time":"2026-11-29T10:04:00.000Z","record_id":"r",)"
                       R"("action":"update"})",
                       "user");
  expectRefusedAtLine3(R"({"id":"A","time":"2026-11-29T10:04:00.000Z","user":"u\nv",)"
                       R"("record_id":"r","action":"update"})",
                       "user");
  expectRefusedAtLine3(R"({"id":"A","time":"2026-11-29T10:04:00.000Z","user":")" +
                           std::string(129, 'u') + R"(","record_id":"r","action":"update"})",
                       "user");

  EXPECT_EQ(parseCrmLines("").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(parseCrmLines("\n\r\n  \n").status().code(), Status::Code::kInvalidArgument);
}

TEST(ParseCrmLinesTest, LinesThatAreNotObjectsAreRefused) {
  expectRefusedAtLine3(R"(["A-78"])", "not an object");
  expectRefusedAtLine3(R"("A-78")", "not an object");
  expectRefusedAtLine3("42", "not an object");
  expectRefusedAtLine3("null", "not an object");
  expectRefusedAtLine3(R"({"id":"A-78")");
  expectRefusedAtLine3(kGood + std::string(" {}"));
  expectRefusedAtLine3("{\"id\":\"A-78\",\"id\":\"A-79\"}");
}

TEST(ParseCrmLinesTest, LineNumbersCountBlankLines) {
  const Status status = parseCrmLines("\n\n\n\n" + line("A-1") + "\n" + R"({"id":1})").status();
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(status.message().starts_with("line 6: ")) << status.message();
  const Status first = parseCrmLines("{}\n" + line("A-1")).status();
  EXPECT_TRUE(first.message().starts_with("line 1: ")) << first.message();
}

TEST(ParseCrmLinesTest, AtMostAThousandRecords) {
  std::string thousand;
  for (int i = 0; i < 1000; ++i) thousand += line("A-" + std::to_string(i)) + "\n\n";
  auto accepted = parseCrmLines(thousand);
  ASSERT_TRUE(accepted.isOk()) << accepted.status().toString();
  EXPECT_EQ(accepted->size(), 1000u);
  EXPECT_EQ(parseCrmLines(thousand + line("A-1000")).status().code(),
            Status::Code::kResourceExhausted);
}

// CrmRecords::store ---------------------------------------------------------------------------

using CrmStoreTest = AuditFixtureOnBoth;

TEST_P(CrmStoreTest, StoresEachBrandsRecordOnce) {
  const std::vector<CrmRecord> records = {
      crmRecord("A-77", utc("2026-11-29T10:04:00.000Z"), "jdupont", "C-1042", "update",
                {"iban", "address"}),
      crmRecord("A-78", utc("2026-11-29T10:05:00.000Z"), "jdupont", "C-1042", "export")};
  auto first = audit_->crm.store("acme", records);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(first->accepted, 2u);
  EXPECT_EQ(first->duplicates, 0u);

  auto again = audit_->crm.store("acme", records);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->accepted, 0u);
  EXPECT_EQ(again->duplicates, 2u);

  auto mixed = audit_->crm.store(
      "acme", {records[1],
               crmRecord("A-79", utc("2026-11-29T10:06:00.000Z"), "jdupont", "C-1042", "delete")});
  ASSERT_TRUE(mixed.isOk());
  EXPECT_EQ(mixed->accepted, 1u);
  EXPECT_EQ(mixed->duplicates, 1u);

  // The same CRM id under another brand is another record.
  auto other_brand = audit_->crm.store("zeta", {records[0]});
  ASSERT_TRUE(other_brand.isOk());
  EXPECT_EQ(other_brand->accepted, 1u);
  EXPECT_EQ(other_brand->duplicates, 0u);

  EXPECT_EQ(count("SELECT count(*) FROM crm_records"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM crm_records WHERE brand = 'acme'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM crm_records WHERE brand = 'zeta' AND crm_id = 'A-77'"), 1);
}

TEST_P(CrmStoreTest, RepeatedIdWithinOneRequestIsADuplicate) {
  const CrmRecord record =
      crmRecord("A-77", utc("2026-11-29T10:04:00.000Z"), "jdupont", "C-1042", "update");
  auto stored = audit_->crm.store("acme", {record, record});
  ASSERT_TRUE(stored.isOk());
  EXPECT_EQ(stored->accepted, 1u);
  EXPECT_EQ(stored->duplicates, 1u);
}

TEST_P(CrmStoreTest, StoredColumnsHoldTheRecord) {
  clock_.advance(5000);
  storeCrm("acme", {crmRecord("A-77", utc("2026-11-29T10:04:00.000Z"), "jdupont", "C-1042",
                              "update", {"iban", "address"})});
  std::vector<std::string> row;
  int64_t time_ms = 0, received_ms = 0;
  ASSERT_TRUE(audit_->db
                  ->with([&](Sql& db) {
                    return db.run(
                        "SELECT brand, crm_id, user, record_id, action, fields, time_ms,"
                        " received_ms FROM crm_records",
                        {}, [&](const SqlRow& s) {
                          for (int i = 0; i < 6; ++i) row.push_back(s.text(i));
                          time_ms = s.integer(6);
                          received_ms = s.integer(7);
                        });
                  })
                  .isOk());
  EXPECT_EQ(row, (std::vector<std::string>{"acme", "A-77", "jdupont", "C-1042", "update",
                                           "iban,address"}));
  EXPECT_EQ(time_ms, utc("2026-11-29T10:04:00.000Z"));
  EXPECT_EQ(received_ms, clock_.nowUnixMillis());
}

TEST_P(CrmStoreTest, CrmUserNamesBecomeLoginsThroughTheDirectory) {
  ASSERT_TRUE(
      audit_->directory
          .setPerson("jean.dupont", "recouvrement", {{"acme", "JDUPONT"}, {"zeta", "dupont_j"}})
          .isOk());
  storeCrm("acme",
           {crmRecord("A-1", utc("2026-11-29T10:04:00.000Z"), "JDUPONT", "C-1", "update"),
            crmRecord("A-2", utc("2026-11-29T10:05:00.000Z"), "dupont_j", "C-1", "update"),
            crmRecord("A-3", utc("2026-11-29T10:06:00.000Z"), "mlefevre", "C-1", "update")});
  storeCrm("zeta", {crmRecord("Z-1", utc("2026-11-29T10:07:00.000Z"), "dupont_j", "C-9", "update"),
                    crmRecord("Z-2", utc("2026-11-29T10:08:00.000Z"), "JDUPONT", "C-9", "update")});

  auto userOf = [&](const std::string& brand, const std::string& id) {
    std::string user;
    EXPECT_TRUE(audit_->db
                    ->with([&](Sql& db) {
                      return db.run("SELECT user FROM crm_records WHERE brand = ? AND crm_id = ?",
                                    {std::string_view(brand), std::string_view(id)},
                                    [&](const SqlRow& s) { user = s.text(0); });
                    })
                    .isOk());
    return user;
  };
  EXPECT_EQ(userOf("acme", "A-1"), "jean.dupont");
  // A mapping belongs to its brand: zeta's user name means nothing in acme's records.
  EXPECT_EQ(userOf("acme", "A-2"), "dupont_j");
  EXPECT_EQ(userOf("acme", "A-3"), "mlefevre");
  EXPECT_EQ(userOf("zeta", "Z-1"), "jean.dupont");
  EXPECT_EQ(userOf("zeta", "Z-2"), "JDUPONT");

  // Replacing the person's CRM accounts drops the old mapping.
  ASSERT_TRUE(audit_->directory.setPerson("jean.dupont", "recouvrement", {}).isOk());
  storeCrm("acme", {crmRecord("A-4", utc("2026-11-29T10:09:00.000Z"), "JDUPONT", "C-1", "update")});
  EXPECT_EQ(userOf("acme", "A-4"), "JDUPONT");
  auto login = audit_->directory.loginForCrmUser("zeta", "dupont_j");
  ASSERT_TRUE(login.isOk());
  EXPECT_EQ(*login, "dupont_j");
}

INSTANTIATE_TEST_SUITE_P(Backends, CrmStoreTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
