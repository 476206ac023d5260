#include "audit/brand_data.h"

#include "audit/crm_records.h"
#include "audit/retention.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {

Status BrandData::exportAll(std::string_view brand,
                            const std::function<bool(std::string_view)>& line) {
  // Read in slices so that ingest is not held up for the length of a large export.
  constexpr int64_t kSlice = 2000;
  int64_t after = 0;
  for (bool more = true; more;) {
    std::vector<std::pair<int64_t, std::string>> rows;
    VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
      return db.run(
          "SELECT rowid, body FROM events WHERE brand = ? AND rowid > ? ORDER BY rowid LIMIT ?",
          {brand, after, kSlice},
          [&](const SqlRow& s) { rows.emplace_back(s.integer(0), s.text(1)); });
    }));
    more = static_cast<int64_t>(rows.size()) == kSlice;
    for (const auto& [rowid, body] : rows) {
      if (!line(body)) return Status::ok();
      after = rowid;
    }
  }
  std::vector<std::string> records;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.run(
        "SELECT crm_id, time_ms, user, record_id, action, fields FROM crm_records WHERE brand = ?"
        " ORDER BY id",
        {brand}, [&](const SqlRow& s) {
          std::string out = "{\"crm_record\":{\"id\":";
          protocol::json::appendString(out, s.view(0));
          out += ",\"time\":";
          protocol::json::appendString(out, protocol::formatUtcMillis(s.integer(1)));
          out += ",\"user\":";
          protocol::json::appendString(out, s.view(2));
          out += ",\"record_id\":";
          protocol::json::appendString(out, s.view(3));
          out += ",\"action\":";
          protocol::json::appendString(out, s.view(4));
          out += ",\"fields\":";
          appendFieldList(out, s.view(5));
          out += "}}";
          records.push_back(std::move(out));
        });
  }));
  for (const std::string& record : records) {
    if (!line(record)) break;
  }
  return Status::ok();
}

StatusOr<BrandDeletion> BrandData::erase(std::string_view brand) {
  BrandDeletion result;
  Status done = db_.transaction([&](Sql& db) -> Status {
    for (const char* table : {"events", "crm_records", "calls", "alerts"}) {
      const std::string t = table;
      VIGIE_RETURN_IF_ERROR(
          db.run("SELECT count(*) FROM " + t + " WHERE brand = ? AND " + heldCondition(t), {brand},
                 [&](const SqlRow& s) { result.held += s.integer(0); }));
      VIGIE_RETURN_IF_ERROR(
          db.run("DELETE FROM " + t + " WHERE brand = ? AND NOT " + heldCondition(t), {brand}));
      result.deleted += db.changes();
    }
    return Status::ok();
  });
  if (!done.isOk()) return done;
  return result;
}

}  // namespace vigie::collector
