#include "audit/retention.h"

#include <algorithm>

#include "audit/text_rules.h"

namespace vigie::collector {
namespace {

struct ClassRows {
  const char* name;
  const char* table;   // events, crm_records, calls or alerts
  const char* row;     // the table's row number, which purges go by
  const char* filter;  // which rows of the table belong to the class
};

// (Filters are SQL both databases read: "1 = 1", not SQLite's "1" nor PostgreSQL's TRUE.)
constexpr ClassRows kClasses[] = {
    {"access", "events", "rowid", "type IN ('crm.view', 'app.focus')"},
    {"exports", "events", "rowid", "type IN ('clipboard.copy', 'file.export', 'print.job')"},
    {"crm", "crm_records", "id", "1 = 1"},
    {"sessions", "events", "rowid", "(type LIKE 'session.%' OR type LIKE 'notice.%')"},
    {"agent", "events", "rowid", "type LIKE 'agent.%'"},
    {"calls", "calls", "rowid", "1 = 1"},
    {"alerts", "alerts", "id", "1 = 1"},
};

constexpr int64_t kDayMs = 24 * 3600 * 1000;
constexpr int kPurgeChunk = 5000;

std::optional<std::string> optionalText(const SqlRow& s, int column) {
  if (s.isNull(column)) return std::nullopt;
  return s.text(column);
}

SqlArg optionalArg(const std::optional<std::string>& text) {
  if (!text) return std::monostate{};
  return std::string_view(*text);
}

}  // namespace

namespace {

// Whether a row of `table` concerns the hold's record. An alert concerns every record its
// evidence names.
std::string recordMatch(const std::string& table) {
  if (table == "alerts") {
    return "EXISTS (SELECT 1 FROM alert_evidence ev WHERE ev.alert_id = alerts.id"
           " AND ev.record_id = h.record_id)";
  }
  return "h.record_id = " + table + ".record_id";
}

}  // namespace

std::string heldCondition(std::string_view table) {
  const std::string t(table);
  return "EXISTS (SELECT 1 FROM holds h WHERE h.released_ms IS NULL"
         " AND (h.brand IS NULL OR h.brand = " +
         t +
         ".brand)"
         " AND (h.user IS NULL OR h.user = " +
         t +
         ".user)"
         " AND (h.record_id IS NULL OR " +
         recordMatch(t) +
         ")"
         " AND " +
         t + ".time_ms >= h.from_ms AND " + t + ".time_ms < h.to_ms)";
}

bool Retention::isClass(std::string_view name) {
  return std::any_of(std::begin(kClasses), std::end(kClasses),
                     [&](const ClassRows& c) { return name == c.name; });
}

StatusOr<std::vector<RetentionClass>> Retention::classes() {
  std::vector<RetentionClass> result;
  for (const ClassRows& c : kClasses) {
    RetentionClass defaults;
    defaults.name = c.name;
    result.push_back(std::move(defaults));
  }
  Status read = db_.with([&](Sql& db) {
    return db.run("SELECT class, days, justification, set_by, set_ms FROM retention", {},
                  [&](const SqlRow& s) {
                    const std::string name = s.text(0);
                    for (RetentionClass& c : result) {
                      if (c.name != name) continue;
                      c.days = s.integer(1);
                      c.justification = s.text(2);
                      c.set_by = s.text(3);
                      c.set_ms = s.integer(4);
                    }
                  });
  });
  if (!read.isOk()) return read;
  return result;
}

Status Retention::set(std::string_view name, int64_t days, std::string_view justification,
                      std::string_view by) {
  if (!isClass(name)) {
    return Status::notFound("no retention class " + std::string(name) +
                            " (access, exports, crm, sessions, agent)");
  }
  if (days < kDefaultRetentionDays || days > kMaxRetentionDays) {
    return Status::invalidArgument("retention is 183 to 365 days, up to 1825 with a justification");
  }
  if (!justification.empty() && !isCleanText(justification, 1000)) {
    return Status::invalidArgument("the justification is at most 1000 characters on one line");
  }
  if (days > kMaxRetentionWithoutJustification && justification.size() < 20) {
    return Status::invalidArgument(
        "keeping records more than 365 days needs a written justification (20-1000 characters)");
  }
  return db_.with([&](Sql& db) {
    return db.upsert("retention", {"class", "days", "justification", "set_by", "set_ms"}, 1,
                     {name, days, justification, by, clock_.nowUnixMillis()});
  });
}

StatusOr<std::vector<LegalHold>> Retention::holds(const std::optional<std::string>& brand) {
  std::vector<LegalHold> found;
  Status read = db_.with([&](Sql& db) {
    return db.run(
        "SELECT id, case_name, reason, brand, user, record_id, from_ms, to_ms, created_by,"
        " created_ms, released_ms FROM holds WHERE ?1 IS NULL OR brand = ?1 ORDER BY id",
        {optionalArg(brand)}, [&](const SqlRow& s) {
          LegalHold hold;
          hold.id = s.integer(0);
          hold.case_name = s.text(1);
          hold.reason = s.text(2);
          hold.brand = optionalText(s, 3);
          hold.user = optionalText(s, 4);
          hold.record_id = optionalText(s, 5);
          hold.from_ms = s.integer(6);
          hold.to_ms = s.integer(7);
          hold.created_by = s.text(8);
          hold.created_ms = s.integer(9);
          if (!s.isNull(10)) {
            hold.released_ms = s.integer(10);
          }
          found.push_back(std::move(hold));
        });
  });
  if (!read.isOk()) return read;
  return found;
}

StatusOr<int64_t> Retention::addHold(const LegalHold& hold) {
  int64_t id = 0;
  Status saved = db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.run(
        "INSERT INTO holds(case_name, reason, brand, user, record_id, from_ms, to_ms, created_by,"
        " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {std::string_view(hold.case_name), std::string_view(hold.reason), optionalArg(hold.brand),
         optionalArg(hold.user), optionalArg(hold.record_id), hold.from_ms, hold.to_ms,
         std::string_view(hold.created_by), clock_.nowUnixMillis()}));
    auto inserted = db.lastInsertId();
    if (!inserted.isOk()) return inserted.status();
    id = *inserted;
    return Status::ok();
  });
  if (!saved.isOk()) return saved;
  return id;
}

Status Retention::releaseHold(int64_t id, const std::optional<std::string>& brand) {
  return db_.with([&](Sql& db) -> Status {
    std::optional<std::optional<std::string>> hold_brand;
    VIGIE_RETURN_IF_ERROR(db.run("SELECT brand FROM holds WHERE id = ? AND released_ms IS NULL",
                                 {id}, [&](const SqlRow& s) { hold_brand = optionalText(s, 0); }));
    if (!hold_brand) return Status::notFound("no active hold " + std::to_string(id));
    if (brand && *hold_brand != brand) {
      return Status::permissionDenied("this hold belongs to another brand");
    }
    return db.run("UPDATE holds SET released_ms = ? WHERE id = ?", {clock_.nowUnixMillis(), id});
  });
}

Status Retention::dropWholeSpans(const std::vector<RetentionClass>& settings, int64_t now,
                                 PurgeReport& report) {
  int64_t holds_in_force = 0;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.run("SELECT count(*) FROM holds WHERE released_ms IS NULL", {},
                  [&](const SqlRow& s) { holds_in_force = s.integer(0); });
  }));
  if (holds_in_force > 0) return Status::ok();  // rows then go one by one, holds honoured
  int64_t longest_days = 0;
  for (const ClassRows& rows : kClasses) {
    if (std::string_view(rows.table) != "events") continue;
    int64_t days = kDefaultRetentionDays;
    for (const RetentionClass& c : settings) {
      if (c.name == rows.name) days = c.days;
    }
    longest_days = std::max(longest_days, days);
  }
  auto dropped = dropper_(now - longest_days * kDayMs);
  if (!dropped.isOk()) return dropped.status();
  report.dropped = std::move(dropped).value();
  return Status::ok();
}

StatusOr<PurgeReport> Retention::purge() {
  auto settings = classes();
  if (!settings.isOk()) return settings.status();
  PurgeReport report;
  const int64_t now = clock_.nowUnixMillis();
  if (dropper_) VIGIE_RETURN_IF_ERROR(dropWholeSpans(*settings, now, report));
  auto cutoffOf = [&](std::string_view name) {
    int64_t days = kDefaultRetentionDays;
    for (const RetentionClass& c : *settings) {
      if (c.name == name) days = c.days;
    }
    return now - days * kDayMs;
  };
  for (const ClassRows& rows : kClasses) {
    const int64_t cutoff = cutoffOf(rows.name);
    const std::string table = rows.table;
    const std::string past = " FROM " + table + " WHERE " + rows.filter + " AND time_ms < ?";
    int64_t purged = 0;
    while (true) {
      int changed = 0;
      Status deleted = db_.transaction([&](Sql& db) -> Status {
        const std::string row = rows.row;
        VIGIE_RETURN_IF_ERROR(db.run("DELETE FROM " + table + " WHERE " + row + " IN (SELECT " +
                                         row + past + " AND NOT " + heldCondition(table) +
                                         " LIMIT " + std::to_string(kPurgeChunk) + ")",
                                     {cutoff}));
        changed = db.changes();
        return Status::ok();
      });
      if (!deleted.isOk()) return deleted;
      purged += changed;
      if (changed < kPurgeChunk) break;
    }
    report.purged.emplace_back(rows.name, purged);
    Status counted = db_.with([&](Sql& db) {
      return db.run("SELECT count(*)" + past + " AND " + heldCondition(table), {cutoff},
                    [&](const SqlRow& s) { report.held += s.integer(0); });
    });
    if (!counted.isOk()) return counted;
  }
  // A workstation's latest heartbeat names the people whose sessions it saw: once older than
  // session records may be kept (a workstation long silent or gone), it goes with them.
  int heartbeats = 0;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        db.run("DELETE FROM heartbeats WHERE last_ms < ?", {cutoffOf("sessions")}));
    heartbeats = db.changes();
    return Status::ok();
  }));
  for (auto& [name, purged] : report.purged) {
    if (name == "sessions") purged += heartbeats;
  }
  return report;
}

}  // namespace vigie::collector
