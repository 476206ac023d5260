#include "cli/store_choice.h"

#include <libpq-fe.h>

#include "vigie/collector/postgres_store.h"

namespace vigie::collector {
namespace {

bool holdsPassword(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  PQfreemem(error);
  bool found = false;
  for (PQconninfoOption* option = options; option != nullptr && option->keyword != nullptr;
       ++option) {
    const std::string_view keyword = option->keyword;
    if ((keyword == "password" || keyword == "sslpassword") && option->val != nullptr &&
        option->val[0] != '\0') {
      found = true;
    }
  }
  PQconninfoFree(options);
  return found;
}

}  // namespace

StatusOr<CollectorStores> openCollectorStores(const std::string& store, const CollectorHome& home,
                                              int64_t now_ms) {
  CollectorStores stores;
  if (store.empty() || store == "embedded") {
    auto events = openSqlCipherStore(home.store_file, home.store_key);
    if (!events.isOk()) return events.status();
    auto audit = AuditDb::open(home.store_file, home.store_key);
    if (!audit.isOk()) return audit.status();
    return CollectorStores{std::move(events).value(), std::move(audit).value()};
  }
  if (!store.starts_with("postgresql://") && !store.starts_with("postgres://")) {
    return Status::invalidArgument(
        "--store expects 'embedded' or a postgresql://USER@HOST:PORT/DATABASE URI");
  }
  if (holdsPassword(store)) {
    return Status::invalidArgument(
        "--store: the URI holds a password, which every local user could read in the process "
        "list; put it in a password file (PGPASSFILE or ~/.pgpass) instead");
  }
  const PostgresOptions options{store};
  auto events = openPostgresStore(options, now_ms);
  if (!events.isOk()) return events.status();
  auto audit = AuditDb::open(options);
  if (!audit.isOk()) return audit.status();
  PostgresStore* postgres = events->get();
  return CollectorStores{std::move(events).value(), std::move(audit).value(), postgres};
}

}  // namespace vigie::collector
