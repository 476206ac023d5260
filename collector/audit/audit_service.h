#pragma once

// Everything the audit API works with, opened together on the collector's store file.

#include <memory>
#include <string>

#include "audit/accounts.h"
#include "audit/audit_db.h"
#include "audit/audit_queries.h"
#include "audit/audit_trail.h"
#include "audit/brand_data.h"
#include "audit/crm_records.h"
#include "audit/directory.h"
#include "audit/login_limiter.h"
#include "audit/pseudonyms.h"
#include "audit/retention.h"
#include "audit/reveals.h"

namespace vigie::collector {

struct AuditService {
  AuditService(std::unique_ptr<AuditDb> opened, const crypto::SecretKey& store_key,
               platform::Clock& time)
      : db(std::move(opened)),
        clock(time),
        accounts(*db, time),
        limiter(time),
        trail(*db, time),
        pseudonyms(*db, store_key),
        reveals(*db, pseudonyms, time),
        directory(*db),
        crm(*db, directory, time),
        queries(*db, pseudonyms),
        retention(*db, time),
        brands(*db) {}

  std::unique_ptr<AuditDb> db;
  platform::Clock& clock;
  Accounts accounts;
  LoginLimiter limiter;
  AuditTrail trail;
  Pseudonyms pseudonyms;
  Reveals reveals;
  Directory directory;
  CrmRecords crm;
  AuditQueries queries;
  Retention retention;
  BrandData brands;
};

// REQUIRES: openSqlCipherStore() has prepared `path`.
StatusOr<std::unique_ptr<AuditService>> openAuditService(const std::string& path,
                                                         const crypto::SecretKey& store_key,
                                                         platform::Clock& clock);

}  // namespace vigie::collector
