#include "item_format.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vigie::ctl {
namespace {

namespace json = protocol::json;

json::Value parsed(const std::string& text) {
  auto value = json::parse(text);
  EXPECT_TRUE(value.isOk()) << value.status().toString();
  return value.isOk() ? value.value() : json::Value();
}

const char kView[] =
    R"({"time": "2026-11-29T10:02:00.000Z", "source": "workstation", "type": "crm.view",)"
    R"( "user": "p-3f9a2c1b7e", "team": "recouvrement", "device": "0193", "host": "PC-114",)"
    R"( "brand": "acme", "record_id": "C-1042",)"
    R"( "details": {"app": "crm", "screen": "customer", "mode": "view"}})";

TEST(ItemFormatTest, AuditTableRow) {
  EXPECT_EQ(auditTableRow(parsed(kView)),
            (std::vector<std::string>{"2026-11-29T10:02:00.000Z", "workstation", "crm.view",
                                      "p-3f9a2c1b7e", "PC-114", "C-1042",
                                      "app=crm screen=customer mode=view"}));
}

TEST(ItemFormatTest, AuditCsvRowKeepsDetailsAsJson) {
  const auto row = auditCsvRow(parsed(
      R"({"time": "t", "source": "crm", "type": "crm.update", "user": "p-1", "brand": "acme",)"
      R"( "record_id": "C-1", "details": {"action": "update", "fields": ["iban", "address"],)"
      R"( "crm_id": "A-77"}})"));
  EXPECT_EQ(auditCsvHeader().size(), row.size());
  EXPECT_EQ(row.back(), R"({"action":"update","fields":["iban","address"],"crm_id":"A-77"})");
  EXPECT_EQ(row[4], "");  // no team
}

TEST(ItemFormatTest, KeysWithoutAColumnJoinTheDetails) {
  const auto row =
      auditTableRow(parsed(R"({"time": "t", "device": "d1", "kind": "gap", "seq": 7})"));
  EXPECT_EQ(row.back(), "kind=gap seq=7");
}

TEST(ItemFormatTest, ControlCharactersNeverReachTheTerminal) {
  EXPECT_EQ(printable("a\x1b[31mb\r\n\x7f"), "a?[31mb???");
  EXPECT_EQ(printable("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(printable("\xC2\x9b"), "?");  // C1 CSI
  std::ostringstream out;
  printTable(out, {"a", "b"}, {{"\x1b]0;title\x07", "x"}});
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
}

TEST(ItemFormatTest, TableAlignsByCharacters) {
  std::ostringstream out;
  printTable(out, {"user", "host"}, {{"h\xC3\xA9l\xC3\xA8ne", "PC-1"}, {"jo", "PC-22"}});
  EXPECT_EQ(out.str(),
            "user    host\n"
            "h\xC3\xA9l\xC3\xA8ne  PC-1\n"
            "jo      PC-22\n");
}

TEST(ItemFormatTest, ObjectsTableUsesEveryKey) {
  std::ostringstream out;
  printObjectsTable(out, {parsed(R"({"user": "a", "role": "dpo", "brand": null})"),
                          parsed(R"({"user": "b", "role": "integration", "brand": "acme"})")});
  EXPECT_EQ(out.str(),
            "user  role         brand\n"
            "a     dpo\n"
            "b     integration  acme\n");
}

TEST(ItemFormatTest, JsonRoundTrip) {
  const std::string text = R"({"a":[1,-2,true,null,"x\"y"],"b":{"c":"\u00e9"}})";
  EXPECT_EQ(toJson(parsed(text)), "{\"a\":[1,-2,true,null,\"x\\\"y\"],\"b\":{\"c\":\"\xC3\xA9\"}}");
}

TEST(ItemFormatTest, GroupsThousands) {
  EXPECT_EQ(groupThousands(0), "0");
  EXPECT_EQ(groupThousands(999), "999");
  EXPECT_EQ(groupThousands(12300), "12 300");
  EXPECT_EQ(groupThousands(1234567), "1 234 567");
}

}  // namespace
}  // namespace vigie::ctl
