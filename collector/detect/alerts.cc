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

Alert readAlert(const SqlRow& s) {
  Alert alert;
  alert.id = s.integer(0);
  alert.draft.key = s.text(1);
  alert.draft.rule = s.text(2);
  alert.draft.severity = static_cast<Severity>(s.integer(3));
  alert.draft.user = s.text(4);
  alert.draft.device = s.text(5);
  alert.draft.brand = s.text(6);
  alert.draft.time_ms = s.integer(7);
  alert.draft.summary = s.text(8);
  alert.draft.origin = s.text(9);
  alert.evidence_count = static_cast<uint64_t>(s.integer(10));
  alert.raised_ms = s.integer(11);
  alert.status = static_cast<AlertStatus>(s.integer(12));
  if (!s.isNull(13)) {
    alert.true_positive = s.integer(13) != 0;
  }
  alert.comment = s.text(14);
  alert.updated_by = s.text(15);
  alert.updated_ms = s.integer(16);
  return alert;
}

// Fills each alert's evidence, oldest first.
Status readEvidence(Sql& db, std::vector<Alert>& alerts) {
  for (Alert& alert : alerts) {
    VIGIE_RETURN_IF_ERROR(
        db.run("SELECT device, seq, time_ms, type, record_id FROM alert_evidence WHERE alert_id = ?"
               " ORDER BY time_ms, device, seq",
               {alert.id}, [&](const SqlRow& s) {
                 alert.draft.evidence.push_back({s.text(0), static_cast<uint64_t>(s.integer(1)),
                                                 s.integer(2), s.text(3), s.text(4)});
               }));
  }
  return Status::ok();
}

// Adds the evidence not yet kept (up to the cap); returns how many items were new.
StatusOr<int64_t> addEvidence(Sql& db, int64_t alert_id, const std::vector<Evidence>& items) {
  int64_t kept = 0;
  VIGIE_RETURN_IF_ERROR(db.run("SELECT count(*) FROM alert_evidence WHERE alert_id = ?", {alert_id},
                               [&](const SqlRow& s) { kept = s.integer(0); }));
  int64_t added = 0;
  for (const Evidence& item : items) {
    if (kept >= static_cast<int64_t>(kMaxEvidencePerAlert)) {
      ++added;  // counted, not kept
      continue;
    }
    VIGIE_RETURN_IF_ERROR(db.run(
        "INSERT OR IGNORE INTO alert_evidence(alert_id, device, seq, time_ms, type, record_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {alert_id, std::string_view(item.device), static_cast<int64_t>(item.seq), item.time_ms,
         std::string_view(item.type), std::string_view(item.record_id)}));
    if (db.changes() > 0) {
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
  Status done = db_.transaction([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.run("SELECT id FROM alerts WHERE key = ?",
                                 {std::string_view(draft.key)},
                                 [&](const SqlRow& s) { result.id = s.integer(0); }));
    if (result.id == 0) {
      VIGIE_RETURN_IF_ERROR(db.run(
          "INSERT INTO alerts(key, rule, severity, user, device, brand, time_ms, summary, origin,"
          " evidence_count, raised_ms, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0)",
          {std::string_view(draft.key), std::string_view(draft.rule),
           static_cast<int64_t>(draft.severity), std::string_view(draft.user),
           std::string_view(draft.device), std::string_view(draft.brand), draft.time_ms,
           std::string_view(draft.summary), std::string_view(draft.origin),
           clock_.nowUnixMillis()}));
      auto inserted = db.lastInsertId();
      if (!inserted.isOk()) return inserted.status();
      result.id = *inserted;
      result.created = true;
    }
    auto added = addEvidence(db, result.id, draft.evidence);
    if (!added.isOk()) return added.status();
    // A later raise may be more serious (more evidence) or earlier (a run over older events).
    // (CASE rather than the two-argument max/min, which only SQLite has.)
    const int64_t severity = static_cast<int64_t>(draft.severity);
    return db.run(
        "UPDATE alerts SET evidence_count = evidence_count + ?,"
        " severity = CASE WHEN severity < ? THEN ? ELSE severity END,"
        " time_ms = CASE WHEN time_ms > ? THEN ? ELSE time_ms END WHERE id = ?",
        {*added, severity, severity, draft.time_ms, draft.time_ms, result.id});
  });
  if (!done.isOk()) return done;
  return result;
}

StatusOr<std::vector<Alert>> AlertStore::list(const AlertFilter& filter) {
  std::vector<Alert> found;
  std::string sql = std::string(kColumns) + " WHERE id < ?1 AND time_ms >= ?2 AND time_ms < ?3";
  std::vector<SqlArg> args = {filter.before_id, filter.from_ms, filter.to_ms};
  auto add = [&](const char* clause, SqlArg arg) {
    args.push_back(arg);
    sql += std::string(" AND ") + clause + " = ?" + std::to_string(args.size());
  };
  if (filter.status) add("status", static_cast<int64_t>(*filter.status));
  if (filter.rule) add("rule", std::string_view(*filter.rule));
  if (filter.user) add("user", std::string_view(*filter.user));
  if (filter.brand) add("brand", std::string_view(*filter.brand));
  sql += " ORDER BY id DESC LIMIT " + std::to_string(filter.limit);
  Status read = db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        db.run(sql, args, [&](const SqlRow& s) { found.push_back(readAlert(s)); }));
    return readEvidence(db, found);
  });
  if (!read.isOk()) return read;
  return found;
}

StatusOr<Alert> AlertStore::get(int64_t id) {
  std::vector<Alert> found;
  Status read = db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.run(std::string(kColumns) + " WHERE id = ?", {id},
                                 [&](const SqlRow& s) { found.push_back(readAlert(s)); }));
    return readEvidence(db, found);
  });
  if (!read.isOk()) return read;
  if (found.empty()) return Status::notFound("no alert " + std::to_string(id));
  return std::move(found.front());
}

StatusOr<std::vector<Alert>> AlertStore::after(int64_t id, size_t limit) {
  std::vector<Alert> found;
  Status read = db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.run(std::string(kColumns) + " WHERE id > ? ORDER BY id LIMIT ?",
                                 {id, static_cast<int64_t>(limit)},
                                 [&](const SqlRow& s) { found.push_back(readAlert(s)); }));
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
  return db.transaction([&](Sql& sql) -> Status {
    std::optional<AlertStatus> current;
    VIGIE_RETURN_IF_ERROR(
        sql.run("SELECT status FROM alerts WHERE id = ?", {id},
                [&](const SqlRow& s) { current = static_cast<AlertStatus>(s.integer(0)); }));
    if (!current) return Status::notFound("no alert " + std::to_string(id));
    if (*current == AlertStatus::kClosed) {
      return Status::failedPrecondition("alert " + std::to_string(id) + " is closed already");
    }
    SqlArg verdict;
    if (true_positive) verdict = int64_t{*true_positive};
    return sql.run(
        // (The cast types a NULL verdict for PostgreSQL, which sends NULLs as text.)
        "UPDATE alerts SET status = ?, true_positive = CAST(? AS BIGINT), comment = ?,"
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
  Status read = db_.with([&](Sql& db) {
    return db.run("SELECT delivered_through FROM alert_outputs WHERE output = ?", {output},
                  [&](const SqlRow& s) { through = s.integer(0); });
  });
  if (!read.isOk()) return read;
  return through;
}

Status AlertStore::setDeliveredThrough(std::string_view output, int64_t id) {
  // Only forward: collectors sharing a database share each output's cursor, and one that
  // finishes an older batch later must not move it back (its alerts would be sent again).
  return db_.transaction([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.run(
        "INSERT OR IGNORE INTO alert_outputs(output, delivered_through) VALUES (?, 0)", {output}));
    return db.run(
        "UPDATE alert_outputs SET delivered_through = ?1 WHERE output = ?2 AND"
        " delivered_through < ?1",
        {id, output});
  });
}

}  // namespace vigie::collector
