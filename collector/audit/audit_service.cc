#include "audit/audit_service.h"

namespace vigie::collector {

StatusOr<std::unique_ptr<AuditService>> openAuditService(const std::string& path,
                                                         const crypto::SecretKey& store_key,
                                                         platform::Clock& clock) {
  auto db = AuditDb::open(path, store_key);
  if (!db.isOk()) return db.status();
  return openAuditService(std::move(db).value(), store_key, clock);
}

StatusOr<std::unique_ptr<AuditService>> openAuditService(std::unique_ptr<AuditDb> db,
                                                         const crypto::SecretKey& store_key,
                                                         platform::Clock& clock) {
  auto service = std::make_unique<AuditService>(std::move(db), store_key, clock);
  VIGIE_RETURN_IF_ERROR(service->shifts.load());
  VIGIE_RETURN_IF_ERROR(service->watchlist.load());
  return service;
}

}  // namespace vigie::collector
