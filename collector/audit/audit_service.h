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
#include "detect/alerts.h"
#include "detect/detection_policy.h"
#include "detect/shifts.h"
#include "detect/telephony.h"
#include "detect/watchlist.h"
#include "fleet/fleet_status.h"
#include "fleet/heartbeat_store.h"
#include "fleet/workstation_policies.h"

namespace vigie::collector {

class RetroRuns;

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
        brands(*db),
        alerts(*db, time),
        calls(*db, time),
        shifts(*db),
        watchlist(*db, time),
        heartbeats(*db),
        policies(*db, time) {}

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
  // Detection (docs/detection.md): what the rules raise and consult.
  AlertStore alerts;
  CallLog calls;
  ShiftCalendar shifts;
  Watchlist watchlist;
  DetectionPolicy detection_policy;  // as loaded from detection.json
  RetroRuns* runs = nullptr;         // set once detection is started; absent: runs refused
  // Fleet (docs/fleet.md): the latest heartbeat of each device and what it is judged against,
  // and the workstation policies, signed by the collector CA.
  HeartbeatStore heartbeats;
  FleetSettings fleet_settings;
  WorkstationPolicies policies;
  const crypto::CertificateAuthority* signer = nullptr;  // absent: activation refused
};

// REQUIRES: openSqlCipherStore() has prepared `path`.
StatusOr<std::unique_ptr<AuditService>> openAuditService(const std::string& path,
                                                         const crypto::SecretKey& store_key,
                                                         platform::Clock& clock);
// Over tables already opened (the embedded file or PostgreSQL); `store_key` derives the
// pseudonym key.
StatusOr<std::unique_ptr<AuditService>> openAuditService(std::unique_ptr<AuditDb> db,
                                                         const crypto::SecretKey& store_key,
                                                         platform::Clock& clock);

}  // namespace vigie::collector
