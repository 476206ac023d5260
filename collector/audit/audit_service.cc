#include "audit/audit_service.h"

namespace vigie::collector {

StatusOr<std::unique_ptr<AuditService>> openAuditService(const std::string& path,
                                                         const crypto::SecretKey& store_key,
                                                         platform::Clock& clock) {
  auto db = AuditDb::open(path, store_key);
  if (!db.isOk()) return db.status();
  return std::make_unique<AuditService>(std::move(db).value(), store_key, clock);
}

}  // namespace vigie::collector
