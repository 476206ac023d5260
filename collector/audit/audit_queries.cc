#include "audit/audit_queries.h"

#include <algorithm>
#include <charconv>

#include "audit/crm_records.h"
#include "vigie/collector/event_store.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/json_codec.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

constexpr std::string_view kExportTypes[] = {"clipboard.copy", "file.export", "print.job"};

bool parseNumber(std::string_view text, int64_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

void appendField(std::string& out, const char* key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":";
  protocol::json::appendString(out, value);
}

bool hasPii(const protocol::Event& event) {
  const auto* copy = std::get_if<protocol::ClipboardCopy>(&event.data);
  if (copy == nullptr) return false;
  const protocol::PiiCounts& pii = copy->pii;
  return pii.email + pii.phone_fr + pii.iban + pii.payment_card + pii.nir > 0;
}

// Where the period starts for this page: nothing before the cursor's time can follow it. Giving
// the index range this bound (rather than only the cursor's condition) lets a later page start
// where the previous one ended instead of walking the rows before it.
int64_t lowerBound(const AuditQuery& query) {
  return query.after ? std::max(query.from_ms, query.after->time_ms) : query.from_ms;
}

// The filters both parts share: the team, the brand, and the cursor (rows after it in (time,
// source, row) order). `table` is the part's alias, `source` its number, `row` its row column.
std::string commonFilters(const AuditQuery& query, std::string_view table, std::string_view source,
                          std::string_view row, std::vector<SqlArg>& args) {
  std::string sql;
  const std::string t(table);
  if (!query.team.empty()) {
    sql += " AND p.team = ?";
    args.push_back(std::string_view(query.team));
  }
  if (query.brand) {
    sql += " AND " + t + ".brand = ?";
    args.push_back(std::string_view(*query.brand));
  }
  if (query.after) {
    const std::string src(source);
    sql += " AND (" + t + ".time_ms > ? OR (" + t + ".time_ms = ? AND (" + src + " > ? OR (" + src +
           " = ? AND " + std::string(row) + " > ?))))";
    const Cursor& c = *query.after;
    args.insert(args.end(), {c.time_ms, c.time_ms, int64_t{c.source}, int64_t{c.source}, c.row});
  }
  return sql;
}

// One part of the union: workstation events (source 0; for kExports, those of `export_type`) or
// CRM records (source 1), with the person's team, restricted by the question, the period, the
// team, the brand and the cursor. Parameters are appended to `args`.
std::string eventsPart(const AuditQuery& query, std::string_view export_type,
                       std::vector<SqlArg>& args) {
  std::string sql =
      "SELECT e.time_ms AS t, 0 AS src, e.rowid AS rid, e.user, e.type, e.record_id, e.brand,"
      " d.device_id, d.hostname, e.body, '' AS fields, e.integrity, coalesce(p.team, '')"
      " FROM events e JOIN devices d ON d.ref = e.device_ref"
      " LEFT JOIN people p ON p.login = e.user WHERE e.time_ms >= ? AND e.time_ms < ?";
  args.insert(args.end(), {lowerBound(query), query.to_ms});
  switch (query.question) {
    case Question::kRecord:
      sql += " AND e.record_id = ?";
      args.push_back(std::string_view(query.record_id));
      break;
    case Question::kTimeline:
      sql += " AND e.user = ?";
      args.push_back(std::string_view(query.login));
      break;
    case Question::kExports:
      sql += " AND e.type = ?";
      args.push_back(export_type);
      break;
    case Question::kIncidents:
      break;
  }
  return sql + commonFilters(query, "e", "0", "e.rowid", args);
}

std::string crmPart(const AuditQuery& query, std::vector<SqlArg>& args) {
  std::string sql =
      "SELECT c.time_ms, 1, c.id, c.user, 'crm.' || c.action, c.record_id, c.brand, '', '',"
      " c.crm_id, c.fields, 0, coalesce(p.team, '') FROM crm_records c"
      " LEFT JOIN people p ON p.login = c.user WHERE c.time_ms >= ? AND c.time_ms < ?";
  args.insert(args.end(), {lowerBound(query), query.to_ms});
  switch (query.question) {
    case Question::kRecord:
      sql += " AND c.record_id = ?";
      args.push_back(std::string_view(query.record_id));
      break;
    case Question::kTimeline:
      sql += " AND c.user = ?";
      args.push_back(std::string_view(query.login));
      break;
    case Question::kExports:
      sql += " AND c.action = 'export'";
      break;
    case Question::kIncidents:
      break;
  }
  return sql + commonFilters(query, "c", "1", "c.id", args);
}

}  // namespace

std::string Cursor::encode() const {
  return std::to_string(time_ms) + "." + std::to_string(source) + "." + std::to_string(row);
}

std::optional<Cursor> Cursor::decode(std::string_view text) {
  const size_t first = text.find('.');
  const size_t second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  Cursor cursor;
  int64_t source = 0;
  if (!parseNumber(text.substr(0, first), cursor.time_ms) ||
      !parseNumber(text.substr(first + 1, second - first - 1), source) ||
      !parseNumber(text.substr(second + 1), cursor.row) || (source != 0 && source != 1)) {
    return std::nullopt;
  }
  cursor.source = static_cast<int>(source);
  return cursor;
}

StatusOr<AuditPage> AuditQueries::run(const AuditQuery& query) {
  if (query.question == Question::kIncidents) return incidents(query);
  std::vector<SqlArg> args;
  // Each part comes out of its index in (time, row) order and SQLite merges them (ORDER BY on the
  // compound itself), so a page reads about `limit` rows however many the period holds. (Sorting
  // the union as a subquery read, decrypted and sorted every row of the period first: p95 0.4 s
  // for the most viewed records over 6 months of 10M events; docs/performance.md.)
  // Exports take one part per type: with `type IN (...)` the three index ranges would have to be
  // read whole and sorted.
  std::string sql;
  if (query.question == Question::kExports) {
    for (std::string_view type : kExportTypes) sql += eventsPart(query, type, args) + " UNION ALL ";
  } else {
    sql = eventsPart(query, {}, args) + " UNION ALL ";
  }
  sql += crmPart(query, args) + " ORDER BY 1, 2, 3";

  AuditPage page;
  page.items = "[";
  bool more = false;
  Status read = db_.with([&](Sql& db) -> Status {
    Status row_error = Status::ok();
    Status read_rows = db.query(sql, args, [&](const SqlRow& s) {
      if (page.count == query.limit) {
        more = true;
        return false;
      }
      const Cursor position{s.integer(0), static_cast<int>(s.integer(1)), s.integer(2)};
      std::string item = "{\"time\":";
      protocol::json::appendString(item, protocol::formatUtcMillis(position.time_ms));
      appendField(item, "source", position.source == 0 ? "workstation" : "crm");
      appendField(item, "type", s.view(4));
      appendField(item, "user", pseudonyms_.of(s.view(3)));
      appendField(item, "team", s.view(12));
      appendField(item, "brand", s.view(6));
      if (!s.isNull(5)) {
        appendField(item, "record_id", s.view(5));
      }
      if (position.source == 0) {
        auto event = protocol::eventFromJson(s.view(9));
        if (!event.isOk()) {
          row_error = event.status().withContext("audit query: stored event");
          return false;
        }
        if (query.pii_only && !hasPii(*event)) return true;
        appendField(item, "device", s.view(7));
        appendField(item, "host", s.view(8));
        if (s.integer(11) != 0) {
          appendField(item, "integrity", integrityName(static_cast<Integrity>(s.integer(11))));
        }
        item += ",\"details\":" + protocol::dataToJson(event->data);
      } else {
        item += ",\"details\":{\"action\":";
        const std::string_view type = s.view(4);
        protocol::json::appendString(item, type.substr(4));
        item += ",\"fields\":";
        appendFieldList(item, s.view(10));
        appendField(item, "crm_id", s.view(9));
        item += "}";
      }
      item += "}";
      if (page.count > 0) page.items += ',';
      page.items += item;
      ++page.count;
      page.next = position;
      return true;
    });
    return read_rows.isOk() ? row_error : read_rows;
  });
  if (!read.isOk()) return read;
  page.items += "]";
  if (!more) page.next.reset();
  return page;
}

StatusOr<AuditPage> AuditQueries::incidents(const AuditQuery& query) {
  std::string sql =
      "SELECT i.id, i.detected_ms, i.device_id, coalesce(d.hostname, ''), coalesce(d.brand, ''),"
      " i.seq, i.kind, i.detail, i.explained FROM incidents i"
      " LEFT JOIN devices d ON d.device_id = i.device_id"
      " WHERE i.detected_ms >= ? AND i.detected_ms < ? AND i.id > ?";
  std::vector<SqlArg> args{query.from_ms, query.to_ms, query.after ? query.after->row : 0};
  if (query.brand) {
    sql += " AND coalesce(d.brand, '') = ?";
    args.push_back(std::string_view(*query.brand));
  }
  sql += " ORDER BY i.id LIMIT ?";
  args.push_back(static_cast<int64_t>(query.limit + 1));
  AuditPage page;
  page.items = "[";
  bool more = false;
  Status read = db_.with([&](Sql& db) {
    return db.run(sql, args, [&](const SqlRow& s) {
      if (page.count == query.limit) {
        more = true;
        return;
      }
      const int64_t detected = s.integer(1);
      std::string item = "{\"time\":";
      protocol::json::appendString(item, protocol::formatUtcMillis(detected));
      appendField(item, "device", s.view(2));
      appendField(item, "host", s.view(3));
      appendField(item, "brand", s.view(4));
      item += ",\"seq\":" + std::to_string(s.integer(5));
      appendField(item, "kind", s.view(6));
      appendField(item, "detail", s.view(7));
      item += std::string(",\"explained\":") + (s.integer(8) ? "true" : "false") + "}";
      if (page.count > 0) page.items += ',';
      page.items += item;
      ++page.count;
      page.next = Cursor{detected, 0, s.integer(0)};
    });
  });
  if (!read.isOk()) return read;
  page.items += "]";
  if (!more) page.next.reset();
  return page;
}

}  // namespace vigie::collector
