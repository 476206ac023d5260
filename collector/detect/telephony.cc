#include "detect/telephony.h"

namespace vigie::collector {
namespace {

Call readCall(const SqlRow& s) {
  Call call;
  call.call_id = s.text(0);
  call.kind = s.text(1);
  call.agent = s.text(2);
  call.start_ms = s.integer(3);
  call.end_ms = s.integer(4);
  call.record_id = s.text(5);
  call.campaign = s.text(6);
  return call;
}

}  // namespace

StatusOr<CallImportResult> CallLog::store(std::string_view brand, const std::vector<Call>& calls) {
  CallImportResult result;
  const int64_t now_ms = clock_.nowUnixMillis();
  Status done = db_.transaction([&](Sql& db) -> Status {
    for (const Call& call : calls) {
      VIGIE_RETURN_IF_ERROR(db.run(
          "INSERT OR IGNORE INTO calls(brand, call_id, kind, user, time_ms, end_ms, record_id,"
          " campaign, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {brand, std::string_view(call.call_id), std::string_view(call.kind),
           std::string_view(call.agent), call.start_ms, call.end_ms,
           std::string_view(call.record_id), std::string_view(call.campaign), now_ms}));
      if (db.changes() > 0) {
        ++result.accepted;
      } else {
        ++result.duplicates;
      }
    }
    return Status::ok();
  });
  if (!done.isOk()) return done;
  return result;
}

StatusOr<bool> CallLog::justifies(std::string_view agent, std::string_view record_id,
                                  int64_t from_ms, int64_t to_ms) {
  bool found = false;
  Status read = db_.with([&](Sql& db) {
    return db.run(
        "SELECT 1 FROM calls WHERE user = ?1 AND time_ms BETWEEN ?2 AND ?3"
        " AND end_ms >= ?4 AND record_id = ?5 LIMIT 1",
        {agent, from_ms - kMaxCallDurationMs /* bounds the index range */, to_ms, from_ms,
         record_id},
        [&](const SqlRow&) { found = true; });
  });
  if (!read.isOk()) return read;
  return found;
}

StatusOr<std::vector<Call>> CallLog::callsStarted(std::string_view agent, int64_t from_ms,
                                                  int64_t to_ms, size_t limit) {
  std::vector<Call> found;
  Status read = db_.with([&](Sql& db) {
    return db.run(
        "SELECT call_id, kind, user, time_ms, end_ms, record_id, campaign FROM calls"
        " WHERE user = ?1 AND time_ms >= ?2 AND time_ms < ?3 ORDER BY time_ms LIMIT ?4",
        {agent, from_ms, to_ms, static_cast<int64_t>(limit)},
        [&](const SqlRow& s) { found.push_back(readCall(s)); });
  });
  if (!read.isOk()) return read;
  return found;
}

StatusOr<int64_t> CallLog::lastCallBefore(std::string_view agent, int64_t before_ms) {
  int64_t last = 0;
  Status read = db_.with([&](Sql& db) {
    return db.run("SELECT max(time_ms) FROM calls WHERE user = ? AND time_ms < ?",
                  {agent, before_ms}, [&](const SqlRow& s) { last = s.integer(0); });
  });
  if (!read.isOk()) return read;
  return last;
}

}  // namespace vigie::collector
