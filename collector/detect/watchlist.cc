#include "detect/watchlist.h"

#include "audit/text_rules.h"

namespace vigie::collector {
namespace {

WatchedRecord readEntry(const SqlRow& s) {
  return {s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.integer(6)};
}

Status checkEntry(const WatchedRecord& entry) {
  if (!isCleanText(entry.record_id, 256)) {
    return Status::invalidArgument("record_id: 1-256 characters without control characters");
  }
  if (!entry.brand.empty() && !isValidName(entry.brand)) {
    return Status::invalidArgument("brand: 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  if (entry.kind != "vip" && entry.kind != "colleague") {
    return Status::invalidArgument("kind: vip or colleague");
  }
  if (entry.kind == "colleague" ? !isValidName(entry.login) : !entry.login.empty()) {
    return Status::invalidArgument(
        "login: a colleague's entry names whose record it is; a vip's names no one");
  }
  if (!isCleanText(entry.reason, 500)) {
    return Status::invalidArgument("reason: 1-500 characters, on one line");
  }
  return Status::ok();
}

}  // namespace

Status Watchlist::load() {
  std::map<std::pair<std::string, std::string>, WatchedRecord, std::less<>> loaded;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.run("SELECT brand, record_id, kind, login, reason, added_by, added_ms FROM watchlist",
                  {}, [&](const SqlRow& s) {
                    WatchedRecord entry = readEntry(s);
                    loaded[{entry.brand, entry.record_id}] = std::move(entry);
                  });
  }));
  std::lock_guard lock(mutex_);
  entries_ = std::move(loaded);
  return Status::ok();
}

Status Watchlist::put(WatchedRecord entry) {
  VIGIE_RETURN_IF_ERROR(checkEntry(entry));
  entry.added_ms = clock_.nowUnixMillis();
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.upsert(
        "watchlist", {"brand", "record_id", "kind", "login", "reason", "added_by", "added_ms"}, 2,
        {std::string_view(entry.brand), std::string_view(entry.record_id),
         std::string_view(entry.kind), std::string_view(entry.login),
         std::string_view(entry.reason), std::string_view(entry.added_by), entry.added_ms});
  }));
  std::lock_guard lock(mutex_);
  entries_[{entry.brand, entry.record_id}] = std::move(entry);
  return Status::ok();
}

Status Watchlist::remove(std::string_view brand, std::string_view record_id) {
  int changed = 0;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        db.run("DELETE FROM watchlist WHERE brand = ? AND record_id = ?", {brand, record_id}));
    changed = db.changes();
    return Status::ok();
  }));
  if (changed == 0) return Status::notFound("record " + std::string(record_id) + " is not watched");
  std::lock_guard lock(mutex_);
  entries_.erase({std::string(brand), std::string(record_id)});
  return Status::ok();
}

std::vector<WatchedRecord> Watchlist::all(std::optional<std::string> brand) const {
  std::lock_guard lock(mutex_);
  std::vector<WatchedRecord> found;
  for (const auto& [key, entry] : entries_) {
    if (!brand || entry.brand == *brand) found.push_back(entry);
  }
  return found;
}

std::optional<WatchedRecord> Watchlist::find(std::string_view brand,
                                             std::string_view record_id) const {
  std::lock_guard lock(mutex_);
  if (entries_.empty()) return std::nullopt;
  auto found = entries_.find(std::pair<std::string, std::string>(brand, record_id));
  if (found == entries_.end()) return std::nullopt;
  return found->second;
}

}  // namespace vigie::collector
