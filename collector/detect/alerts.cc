#include "detect/alerts.h"

#include <array>

#include "audit/text_rules.h"

namespace vigie::collector {
namespace {

constexpr std::array<std::string_view, 3> kSeverities = {"low", "medium", "high"};
constexpr std::array<std::string_view, 3> kStatuses = {"open", "acknowledged", "closed"};

template <typename E, size_t N>
std::optional<E> fromName(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr char kColumns[] =
    "SELECT id, key, rule, severity, user, device, brand, time_ms, summary, origin,"
    " evidence_count, raised_ms, status, true_positive, comment, updated_by, updated_ms"
    " FROM alerts";

Alert readAlert(sqlite3_stmt* s) {
  Alert alert;
  alert.id = sqlcipher::columnInt(s, 0);
  alert.draft.key = sqlcipher::columnText(s, 1);
  alert.draft.rule = sqlcipher::columnText(s, 2);
  alert.draft.severity = static_cast<Severity>(sqlcipher::columnInt(s, 3));
  alert.draft.user = sqlcipher::columnText(s, 4);
  alert.draft.device = sqlcipher::columnText(s, 5);
  alert.draft.brand = sqlcipher::columnText(s, 6);
  alert.draft.time_ms = sqlcipher::columnInt(s, 7);
  alert.draft.summary = sqlcipher::columnText(s, 8);
  alert.draft.origin = sqlcipher::columnText(s, 9);
  alert.evidence_count = static_cast<uint64_t>(sqlcipher::columnInt(s, 10));
  alert.raised_ms = sqlcipher::columnInt(s, 11);
  alert.status = static_cast<AlertStatus>(sqlcipher::columnInt(s, 12));
  if (sqlite3_column_type(s, 13) != SQLITE_NULL) {
    alert.true_positive = sqlcipher::columnInt(s, 13) != 0;
  }
  alert.comment = sqlcipher::columnText(s, 14);
  alert.updated_by = sqlcipher::columnText(s, 15);
  alert.updated_ms = sqlcipher::columnInt(s, 16);
  return alert;
}

// Fills each alert's evidence, oldest first.
Status readEvidence(sqlite3* db, std::vector<Alert>& alerts) {
  for (Alert& alert : alerts) {
    VIGIE_RETURN_IF_ERROR(sqlcipher::run(
        db,
        "SELECT device, seq, time_ms, type, record_id FROM alert_evidence WHERE alert_id = ?"
        " ORDER BY time_ms, device, seq",
        {alert.id}, [&](sqlite3_stmt* s) {
          alert.draft.evidence.push_back({sqlcipher::columnText(s, 0),
                                          static_cast<uint64_t>(sqlcipher::columnInt(s, 1)),
                                          sqlcipher::columnInt(s, 2), sqlcipher::columnText(s, 3),
                                          sqlcipher::columnText(s, 4)});
        }));
  }
  return Status::ok();
}

// Adds the evidence not yet kept (up to the cap); returns how many items were new.
StatusOr<int64_t> addEvidence(sqlite3* db, int64_t alert_id, const std::vector<Evidence>& items) {
  int64_t kept = 0;
  VIGIE_RETURN_IF_ERROR(
      sqlcipher::run(db, "SELECT count(*) FROM alert_evidence WHERE alert_id = ?", {alert_id},
                     [&](sqlite3_stmt* s) { kept = sqlcipher::columnInt(s, 0); }));
  int64_t added = 0;
  for (const Evidence& item : items) {
    if (kept >= static_cast<int64_t>(kMaxEvidencePerAlert)) {
      ++added;  // counted, not kept
      continue;
    }
    VIGIE_RETURN_IF_ERROR(sqlcipher::run(
        db,
        "INSERT OR IGNORE INTO alert_evidence(alert_id, device, seq, time_ms, type, record_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {alert_id, std::string_view(item.device), static_cast<int64_t>(item.seq), item.time_ms,
         std::string_view(item.type), std::string_view(item.record_id)}));
    if (sqlite3_changes(db) > 0) {
      ++kept;
      ++added;
    }
  }
  return added;
}

Status checkDraft(const AlertDraft& draft) {
  if (draft.key.empty() || draft.key.size() > 512) {
    return Status::invalidArgument("an alert key is 1-512 characters");
  }
  if (draft.rule.empty() || draft.summary.empty()) {
    return Status::invalidArgument("an alert names its rule and says why it fired");
  }
  return Status::ok();
}

}  // namespace

std::string_view severityName(Severity severity) {
  return kSeverities[static_cast<size_t>(severity)];
}
std::optional<Severity> severityFromName(std::string_view name) {
  return fromName<Severity>(kSeverities, name);
}
std::string_view alertStatusName(AlertStatus status) {
  return kStatuses[static_cast<size_t>(status)];
}
std::optional<AlertStatus> alertStatusFromName(std::string_view name) {
  return fromName<AlertStatus>(kStatuses, name);
}

StatusOr<RaiseResult> AlertStore::raise(const AlertDraft& draft) {
  VIGIE_RETURN_IF_ERROR(checkDraft(draft));
  RaiseResult result;
  Status done = db_.transaction([&](sqlite3* db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        sqlcipher::run(db, "SELECT id FROM alerts WHERE key = ?", {std::string_view(draft.key)},
                       [&](sqlite3_stmt* s) { result.id = sqlcipher::columnInt(s, 0); }));
    if (result.id == 0) {
      VIGIE_RETURN_IF_ERROR(sqlcipher::run(
          db,
          "INSERT INTO alerts(key, rule, severity, user, device, brand, time_ms, summary, origin,"
          " evidence_count, raised_ms, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0)",
          {std::string_view(draft.key), std::string_view(draft.rule),
           static_cast<int64_t>(draft.severity), std::string_view(draft.user),
           std::string_view(draft.device), std::string_view(draft.brand), draft.time_ms,
           std::string_view(draft.summary), std::string_view(draft.origin),
           clock_.nowUnixMillis()}));
      result.id = sqlite3_last_insert_rowid(db);
      result.created = true;
    }
    auto added = addEvidence(db, result.id, draft.evidence);
    if (!added.isOk()) return added.status();
    // A later raise may be more serious (more evidence) or earlier (a run over older events).
    return sqlcipher::run(db,
                          "UPDATE alerts SET evidence_count = evidence_count + ?,"
                          " severity = max(severity, ?), time_ms = min(time_ms, ?) WHERE id = ?",
                          {*added, static_cast<int64_t>(draft.severity), draft.time_ms, result.id});
  });
  if (!done.isOk()) return done;
  return result;
}

StatusOr<std::vector<Alert>> AlertStore::list(const AlertFilter& filter) {
  std::vector<Alert> found;
  std::string sql = std::string(kColumns) + " WHERE id < ?1 AND time_ms >= ?2 AND time_ms < ?3";
  std::vector<sqlcipher::Arg> args = {filter.before_id, filter.from_ms, filter.to_ms};
  auto add = [&](const char* clause, sqlcipher::Arg arg) {
    args.push_back(arg);
    sql += std::string(" AND ") + clause + " = ?" + std::to_string(args.size());
  };
  if (filter.status) add("status", static_cast<int64_t>(*filter.status));
  if (filter.rule) add("rule", std::string_view(*filter.rule));
  if (filter.user) add("user", std::string_view(*filter.user));
  if (filter.brand) add("brand", std::string_view(*filter.brand));
  sql += " ORDER BY id DESC LIMIT " + std::to_string(filter.limit);
  Status read = db_.with([&](sqlite3* db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        sqlcipher::run(db, sql, args, [&](sqlite3_stmt* s) { found.push_back(readAlert(s)); }));
    return readEvidence(db, found);
  });
  if (!read.isOk()) return read;
  return found;
}

StatusOr<Alert> AlertStore::get(int64_t id) {
  std::vector<Alert> found;
  Status read = db_.with([&](sqlite3* db) -> Status {
    VIGIE_RETURN_IF_ERROR(sqlcipher::run(db, std::string(kColumns) + " WHERE id = ?", {id},
                                         [&](sqlite3_stmt* s) { found.push_back(readAlert(s)); }));
    return readEvidence(db, found);
  });
  if (!read.isOk()) return read;
  if (found.empty()) return Status::notFound("no alert " + std::to_string(id));
  return std::move(found.front());
}

StatusOr<std::vector<Alert>> AlertStore::after(int64_t id, size_t limit) {
  std::vector<Alert> found;
  Status read = db_.with([&](sqlite3* db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        sqlcipher::run(db, std::string(kColumns) + " WHERE id > ? ORDER BY id LIMIT ?",
                       {id, static_cast<int64_t>(limit)},
                       [&](sqlite3_stmt* s) { found.push_back(readAlert(s)); }));
    return readEvidence(db, found);
  });
  if (!read.isOk()) return read;
  return found;
}

namespace {

Status changeStatus(AuditDb& db, int64_t id, AlertStatus to, std::optional<bool> true_positive,
                    std::string_view by, std::string_view comment, int64_t now_ms) {
  if (!isCleanText(comment, 1000) && !(comment.empty() && to == AlertStatus::kAcknowledged)) {
    return Status::invalidArgument(to == AlertStatus::kClosed
                                       ? "closing an alert needs a comment (1-1000 characters)"
                                       : "the comment must be 0-1000 characters, on one line");
  }
  return db.transaction([&](sqlite3* sql) -> Status {
    std::optional<AlertStatus> current;
    VIGIE_RETURN_IF_ERROR(sqlcipher::run(
        sql, "SELECT status FROM alerts WHERE id = ?", {id},
        [&](sqlite3_stmt* s) { current = static_cast<AlertStatus>(sqlcipher::columnInt(s, 0)); }));
    if (!current) return Status::notFound("no alert " + std::to_string(id));
    if (*current == AlertStatus::kClosed) {
      return Status::failedPrecondition("alert " + std::to_string(id) + " is closed already");
    }
    sqlcipher::Arg verdict;
    if (true_positive) verdict = int64_t{*true_positive};
    return sqlcipher::run(sql,
                          "UPDATE alerts SET status = ?, true_positive = ?, comment = ?,"
                          " updated_by = ?, updated_ms = ? WHERE id = ?",
                          {static_cast<int64_t>(to), verdict, comment, by, now_ms, id});
  });
}

}  // namespace

Status AlertStore::acknowledge(int64_t id, std::string_view by, std::string_view comment) {
  return changeStatus(db_, id, AlertStatus::kAcknowledged, std::nullopt, by, comment,
                      clock_.nowUnixMillis());
}

Status AlertStore::close(int64_t id, std::string_view by, bool true_positive,
                         std::string_view comment) {
  return changeStatus(db_, id, AlertStatus::kClosed, true_positive, by, comment,
                      clock_.nowUnixMillis());
}

StatusOr<int64_t> AlertStore::deliveredThrough(std::string_view output) {
  int64_t through = 0;
  Status read = db_.with([&](sqlite3* db) {
    return sqlcipher::run(db, "SELECT delivered_through FROM alert_outputs WHERE output = ?",
                          {output}, [&](sqlite3_stmt* s) { through = sqlcipher::columnInt(s, 0); });
  });
  if (!read.isOk()) return read;
  return through;
}

Status AlertStore::setDeliveredThrough(std::string_view output, int64_t id) {
  return db_.with([&](sqlite3* db) {
    // The SQLite inside SQLCipher here (3.15) predates UPSERT; the row is only these two columns.
    return sqlcipher::run(
        db, "INSERT OR REPLACE INTO alert_outputs(output, delivered_through) VALUES (?, ?)",
        {output, id});
  });
}

}  // namespace vigie::collector
