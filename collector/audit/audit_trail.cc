#include "audit/audit_trail.h"

#include "vigie/crypto/digest.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

std::string chainHash(std::string_view previous, const TrailEntry& entry) {
  std::string input(previous);
  input += AuditTrail::canonical(entry);
  const crypto::Digest digest = crypto::sha256(input);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string asHex(std::string_view bytes) {
  return protocol::toHex({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

TrailEntry readEntry(const SqlRow& s, std::string& raw_hash) {
  TrailEntry entry;
  entry.seq = s.integer(0);
  entry.time_ms = s.integer(1);
  entry.actor = s.text(2);
  entry.role = s.text(3);
  entry.brand = s.text(4);
  entry.action = s.text(5);
  entry.detail = s.text(6);
  entry.outcome = static_cast<int>(s.integer(7));
  raw_hash = s.text(8);
  entry.hash = asHex(raw_hash);
  return entry;
}

constexpr char kSelect[] =
    "SELECT seq, time_ms, actor, role, brand, action, detail, outcome, hash FROM trail";

}  // namespace

std::string AuditTrail::canonical(const TrailEntry& entry) {
  std::string out = "{\"seq\":" + std::to_string(entry.seq) + ",\"time\":";
  protocol::json::appendString(out, protocol::formatUtcMillis(entry.time_ms));
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"actor", &entry.actor},
        {"role", &entry.role},
        {"brand", &entry.brand},
        {"action", &entry.action}}) {
    out += ",\"";
    out += key;
    out += "\":";
    protocol::json::appendString(out, *value);
  }
  out += ",\"detail\":" + entry.detail + ",\"outcome\":" + std::to_string(entry.outcome) + "}";
  return out;
}

Status AuditTrail::append(std::string_view actor, std::string_view role, std::string_view brand,
                          std::string_view action, std::string_view detail_json, int outcome) {
  return db_.transaction([&](Sql& db) -> Status {
    TrailEntry entry{0,
                     clock_.nowUnixMillis(),
                     std::string(actor),
                     std::string(role),
                     std::string(brand),
                     std::string(action),
                     std::string(detail_json),
                     outcome,
                     {}};
    std::string previous(32, '\0');
    entry.seq = 1;
    VIGIE_RETURN_IF_ERROR(
        db.run("SELECT seq, hash FROM trail ORDER BY seq DESC LIMIT 1", {}, [&](const SqlRow& s) {
          entry.seq = s.integer(0) + 1;
          previous = s.text(1);
        }));
    const std::string hash = chainHash(previous, entry);
    return db.run(
        "INSERT INTO trail(seq, time_ms, actor, role, brand, action, detail,"
        " outcome, hash) VALUES (?,?,?,?,?,?,?,?,?)",
        {entry.seq, entry.time_ms, std::string_view(entry.actor), std::string_view(entry.role),
         std::string_view(entry.brand), std::string_view(entry.action),
         std::string_view(entry.detail), int64_t{outcome}, SqlBlob{hash}});
  });
}

StatusOr<std::vector<TrailEntry>> AuditTrail::list(int64_t after_seq, size_t limit) {
  std::vector<TrailEntry> entries;
  Status read = db_.with([&](Sql& db) {
    return db.run(std::string(kSelect) + " WHERE seq > ? ORDER BY seq LIMIT ?",
                  {after_seq, static_cast<int64_t>(limit)}, [&](const SqlRow& s) {
                    std::string raw;
                    entries.push_back(readEntry(s, raw));
                  });
  });
  if (!read.isOk()) return read;
  return entries;
}

StatusOr<TrailVerification> AuditTrail::verify() {
  TrailVerification result;
  std::string previous(32, '\0');
  int64_t expected_seq = 1;
  Status read = db_.with([&](Sql& db) {
    return db.run(std::string(kSelect) + " ORDER BY seq", {}, [&](const SqlRow& s) {
      if (!result.ok) return;
      std::string raw;
      const TrailEntry entry = readEntry(s, raw);
      ++result.entries;
      // A removed entry shows as a missing sequence number as well as a broken hash.
      if (entry.seq != expected_seq || chainHash(previous, entry) != raw) {
        result.ok = false;
        result.broken_at = expected_seq;
        return;
      }
      previous = raw;
      ++expected_seq;
    });
  });
  if (!read.isOk()) return read;
  return result;
}

}  // namespace vigie::collector
