#include "crm_file.h"

#include <gtest/gtest.h>

#include "csv_reader.h"
#include "vigie/protocol/json.h"

namespace vigie::ctl {
namespace {

constexpr char kHeader[] = "id,time,user,record_id,action,fields\n";

// The error of parsing `text`, which must fail.
std::string csvError(const std::string& text) {
  auto records = parseCrmCsv(text);
  EXPECT_FALSE(records.isOk()) << text;
  return records.isOk() ? "" : records.status().message();
}

std::string jsonError(const std::string& text) {
  auto records = parseCrmJsonLines(text);
  EXPECT_FALSE(records.isOk()) << text;
  return records.isOk() ? "" : records.status().message();
}

TEST(CrmCsvTest, ReadsRecordsWithFieldListsAndQuotedCells) {
  const std::string text = std::string(kHeader) +
                           "A-77,2026-11-29T10:04:00.000Z,jdupont,C-1042,update,iban;address\n"
                           "A-78,2026-11-29T10:05:00.000Z,jdupont,C-1042,export,\"a|b\"\r\n"
                           "\n"
                           "\"A,79\",2026-11-29T10:06:00.000Z,\"m \"\"x\"\"\",C-9,create,\n";
  auto records = parseCrmCsv(text);
  ASSERT_TRUE(records.isOk()) << records.status().toString();
  ASSERT_EQ(records->size(), 3u);
  const CrmRecord& first = (*records)[0];
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.id, "A-77");
  EXPECT_EQ(first.time, "2026-11-29T10:04:00.000Z");
  EXPECT_EQ(first.user, "jdupont");
  EXPECT_EQ(first.record_id, "C-1042");
  EXPECT_EQ(first.action, "update");
  EXPECT_EQ(first.fields, (std::vector<std::string>{"iban", "address"}));
  EXPECT_EQ((*records)[1].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*records)[2].line, 5u);
  EXPECT_EQ((*records)[2].id, "A,79");
  EXPECT_EQ((*records)[2].user, "m \"x\"");
  EXPECT_TRUE((*records)[2].fields.empty());
}

TEST(CrmCsvTest, ColumnsMayComeInAnyOrderAndFieldsMayBeLeftOut) {
  auto records = parseCrmCsv(
      "\xEF\xBB\xBF"
      "action,record_id,user,time,id\ndelete,C-1,jdupont,2026-11-29T10:04:00.000Z,A-1\n");
  ASSERT_TRUE(records.isOk()) << records.status().toString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].action, "delete");
  EXPECT_EQ((*records)[0].id, "A-1");
}

TEST(CrmCsvTest, RefusesAColumnOfFieldValues) {
  const std::string error = csvError(
      "id,time,user,record_id,action,fields,iban\n"
      "A-77,2026-11-29T10:04:00.000Z,jdupont,C-1042,update,iban,FR7630006000011234567890189\n");
  EXPECT_NE(error.find("line 1: unknown column 'iban'"), std::string::npos) << error;
  EXPECT_NE(error.find("never their values"), std::string::npos) << error;
}

TEST(CrmCsvTest, RefusesAMissingOrRepeatedColumn) {
  EXPECT_NE(csvError("id,time,record_id,action,fields\n").find("line 1: missing column 'user'"),
            std::string::npos);
  EXPECT_NE(
      csvError("id,id,time,user,record_id,action\n").find("line 1: column 'id' appears twice"),
      std::string::npos);
  EXPECT_NE(csvError("").find("line 1"), std::string::npos);
}

TEST(CrmCsvTest, EachBadLineIsNamedByItsNumber) {
  const std::string good = "A-1,2026-11-29T10:04:00.000Z,jdupont,C-1,update,iban\n";
  struct Case {
    std::string line;
    std::string expected;
  };
  const Case cases[] = {
      {",2026-11-29T10:04:00.000Z,jdupont,C-1,update,iban\n", "line 3: missing id"},
      {"A-2,,jdupont,C-1,update,iban\n", "line 3: missing time"},
      {"A-2,2026-11-29 10:04,jdupont,C-1,update,iban\n", "line 3: bad time '2026-11-29 10:04'"},
      {"A-2,2026-11-29T10:04:00.000Z,,C-1,update,iban\n", "line 3: missing user"},
      {"A-2,2026-11-29T10:04:00.000Z,jdupont,,update,iban\n", "line 3: missing record_id"},
      {"A-2,2026-11-29T10:04:00.000Z,jdupont,C-1,,iban\n", "line 3: missing action"},
      {"A-2,2026-11-29T10:04:00.000Z,jdupont,C-1,read,iban\n", "line 3: bad action 'read'"},
      {"A-2,2026-11-29T10:04:00.000Z,jdupont,C-1,update,FR76 3000\n",
       "line 3: bad field name 'FR76 3000'"},
      {"A-2,2026-11-29T10:04:00.000Z,jdupont,C-1,update\n", "line 3: expected 6 cells, got 5"},
      {"A-2,2026-11-29T10:04:00.000Z,jdupont,C-1,update,iban,extra\n",
       "line 3: expected 6 cells, got 7"},
      {"A-2,2026-11-29T10:04:00.000Z,jd\"upont,C-1,update,iban\n", "line 3: a quote inside"},
      {"\"A-2,2026-11-29T10:04:00.000Z,jdupont,C-1,update,iban\n", "line 3: a quoted cell"},
      {std::string(129, 'i') + ",2026-11-29T10:04:00.000Z,jdupont,C-1,update,iban\n",
       "line 3: id is longer than 128 bytes"},
      {"A-2,2026-11-29T10:04:00.000Z,jdupont," + std::string(257, 'r') + ",update,iban\n",
       "line 3: record_id is longer than 256 bytes"},
  };
  for (const auto& c : cases) {
    const std::string error = csvError(kHeader + good + c.line + good);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.line << " gave: " << error;
  }
}

TEST(CrmCsvTest, LineNumbersCountLinesInsideQuotedCells) {
  auto rows = readCsv("a,\"b\nc\"\r\nd,e\n\n\"f\"\"\",g");
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].line, 1u);
  EXPECT_EQ((*rows)[0].cells, (std::vector<std::string>{"a", "b\nc"}));
  EXPECT_EQ((*rows)[1].line, 3u);
  EXPECT_EQ((*rows)[2].line, 5u);
  EXPECT_EQ((*rows)[2].cells, (std::vector<std::string>{"f\"", "g"}));
  // A line break is no part of an id.
  const std::string error = csvError(std::string(kHeader) +
                                     "\"A\n1\",2026-11-29T10:04:00.000Z,jdupont,C-1,update,iban\n");
  EXPECT_NE(error.find("line 2: id holds a control character"), std::string::npos) << error;
}

TEST(CrmCsvTest, RefusesTooManyOrTooLongFieldNames) {
  std::string many;
  for (int i = 0; i < 65; ++i) many += (i > 0 ? ";f" : "f") + std::to_string(i);
  EXPECT_NE(csvError(std::string(kHeader) + "A,2026-11-29T10:04:00.000Z,u,C,update," + many + "\n")
                .find("line 2: more than 64 fields"),
            std::string::npos);
  EXPECT_NE(csvError(std::string(kHeader) + "A,2026-11-29T10:04:00.000Z,u,C,update," +
                     std::string(65, 'f') + "\n")
                .find("line 2: bad field name"),
            std::string::npos);
}

TEST(CrmJsonLinesTest, ReadsRecords) {
  auto records = parseCrmJsonLines(
      "{\"id\": \"A-77\", \"time\": \"2026-11-29T10:04:00.000Z\", \"user\": \"jdupont\", "
      "\"record_id\": \"C-1042\", \"action\": \"update\", \"fields\": [\"iban\", \"address\"]}\r\n"
      "\n"
      "{\"id\":\"A-78\",\"time\":\"2026-11-29T10:05:00.000Z\",\"user\":\"jdupont\","
      "\"record_id\":\"C-1042\",\"action\":\"merge\"}");
  ASSERT_TRUE(records.isOk()) << records.status().toString();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].fields, (std::vector<std::string>{"iban", "address"}));
  EXPECT_EQ((*records)[1].line, 3u);
  EXPECT_EQ((*records)[1].action, "merge");
}

TEST(CrmJsonLinesTest, EachBadLineIsNamedByItsNumber) {
  const std::string good =
      "{\"id\":\"A\",\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"u\",\"record_id\":\"C\","
      "\"action\":\"update\",\"fields\":[\"iban\"]}\n";
  struct Case {
    std::string line;
    std::string expected;
  };
  const Case cases[] = {
      {"{\"id\":\"A\",\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"u\",\"record_id\":\"C\","
       "\"action\":\"update\",\"iban\":\"FR76\"}\n",
       "line 2: unknown key 'iban'"},
      {"{\"id\":\"A\",\"time\":\"2026-11-29T10:04:00.000Z\",\"record_id\":\"C\","
       "\"action\":\"update\"}\n",
       "line 2: missing user"},
      {"{\"id\":\"A\",\"time\":\"2026-11-29\",\"user\":\"u\",\"record_id\":\"C\","
       "\"action\":\"update\"}\n",
       "line 2: bad time '2026-11-29'"},
      {"{\"id\":\"A\",\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"u\",\"record_id\":\"C\","
       "\"action\":\"view\"}\n",
       "line 2: bad action 'view'"},
      {"{\"id\":1,\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"u\",\"record_id\":\"C\","
       "\"action\":\"update\"}\n",
       "line 2: id must be a string"},
      {"{\"id\":\"A\",\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"u\",\"record_id\":\"C\","
       "\"action\":\"update\",\"fields\":{\"iban\":\"FR76\"}}\n",
       "line 2: fields must be a list"},
      {"{\"id\":\"A\",\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"u\",\"record_id\":\"C\","
       "\"action\":\"update\",\"fields\":[\"FR76 3000 6000\"]}\n",
       "line 2: bad field name"},
      {"{\"id\":\"A\",\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"u\\u0007\","
       "\"record_id\":\"C\",\"action\":\"update\"}\n",
       "line 2: user holds a control character"},
      {"{\"id\": \"A\", \n", "line 2: malformed JSON"},
      {"[\"A\"]\n", "line 2: expected a JSON object"},
  };
  for (const auto& c : cases) {
    const std::string error = jsonError(good + c.line + good);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.line << " gave: " << error;
  }
}

TEST(CrmFormatTest, FromTheOptionOrTheExtension) {
  EXPECT_EQ(crmFormatFor("audit.csv", "").value(), CrmFormat::kCsv);
  EXPECT_EQ(crmFormatFor("dir.v2/audit.CSV", "").value(), CrmFormat::kCsv);
  EXPECT_EQ(crmFormatFor("audit.jsonl", "").value(), CrmFormat::kJsonLines);
  EXPECT_EQ(crmFormatFor("audit.ndjson", "").value(), CrmFormat::kJsonLines);
  EXPECT_EQ(crmFormatFor("audit.txt", "jsonl").value(), CrmFormat::kJsonLines);
  EXPECT_FALSE(crmFormatFor("audit.txt", "").isOk());
  EXPECT_FALSE(crmFormatFor("dir.csv/audit", "").isOk());
  EXPECT_FALSE(crmFormatFor("audit.csv", "xml").isOk());
}

TEST(CrmEventLineTest, IsTheApiLine) {
  CrmRecord record;
  record.id = "A-77";
  record.time = "2026-11-29T10:04:00.000Z";
  record.user = "jdupont";
  record.record_id = "C-1042";
  record.action = "update";
  record.fields = {"iban", "address"};
  const std::string line = crmEventLine(record);
  EXPECT_EQ(line,
            "{\"id\":\"A-77\",\"time\":\"2026-11-29T10:04:00.000Z\",\"user\":\"jdupont\","
            "\"record_id\":\"C-1042\",\"action\":\"update\",\"fields\":[\"iban\",\"address\"]}");
  EXPECT_TRUE(protocol::json::parse(line).isOk());
}

TEST(CrmChunkTest, AtMostAThousandLinesAndOneMebibyte) {
  std::vector<CrmRecord> records(2500);
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].line = i + 2;
    records[i].id = "A-" + std::to_string(i);
    records[i].time = "2026-11-29T10:04:00.000Z";
    records[i].user = "jdupont";
    records[i].record_id = "C-1";
    records[i].action = "update";
  }
  auto chunks = chunkCrmRecords(records);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].records, 1000u);
  EXPECT_EQ(chunks[0].first_line, 2u);
  EXPECT_EQ(chunks[0].last_line, 1001u);
  EXPECT_EQ(chunks[2].records, 500u);
  EXPECT_EQ(chunks[2].last_line, 2501u);

  // Large records: the byte bound cuts first.
  for (auto& record : records) {
    record.fields.assign(64, std::string(60, 'f'));
  }
  chunks = chunkCrmRecords(records);
  size_t total = 0;
  for (const auto& chunk : chunks) {
    EXPECT_LE(chunk.body.size(), 1u << 20);
    EXPECT_LE(chunk.records, 1000u);
    EXPECT_EQ(static_cast<size_t>(std::count(chunk.body.begin(), chunk.body.end(), '\n')),
              chunk.records);
    total += chunk.records;
  }
  EXPECT_EQ(total, records.size());
  EXPECT_GT(chunks.size(), 3u);
}

TEST(CrmChunkTest, ServerLineNumbersPointIntoTheFile) {
  CrmChunk chunk;
  chunk.file_lines = {1002, 1004, 1005};
  EXPECT_EQ(withFileLine("line 2: unknown key 'iban' (HTTP 400)", chunk, "crm.jsonl"),
            "request line 2 (line 1004 of crm.jsonl): unknown key 'iban' (HTTP 400)");
  EXPECT_EQ(withFileLine("line 4: x", chunk, "f"), "line 4: x");
  EXPECT_EQ(withFileLine("body too large (HTTP 413)", chunk, "f"), "body too large (HTTP 413)");
  EXPECT_EQ(withFileLine("line x: y", chunk, "f"), "line x: y");
}

}  // namespace
}  // namespace vigie::ctl
