#include "audit/crm_records.h"

namespace vigie::collector {

StatusOr<CrmImportResult> CrmRecords::store(std::string_view brand,
                                            const std::vector<CrmRecord>& records) {
  std::vector<std::string> logins;
  logins.reserve(records.size());
  for (const CrmRecord& record : records) {
    auto login = directory_.loginForCrmUser(brand, record.user);
    if (!login.isOk()) return login.status();
    logins.push_back(std::move(*login));
  }
  CrmImportResult result;
  const int64_t now = clock_.nowUnixMillis();
  Status stored = db_.transaction([&](Sql& db) -> Status {
    for (size_t i = 0; i < records.size(); ++i) {
      const CrmRecord& record = records[i];
      std::string fields;
      for (const std::string& field : record.fields) {
        if (!fields.empty()) fields += ',';
        fields += field;
      }
      VIGIE_RETURN_IF_ERROR(db.run(
          "INSERT OR IGNORE INTO crm_records(brand, crm_id, time_ms, user, record_id, action,"
          " fields, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {brand, std::string_view(record.crm_id), record.time_ms, std::string_view(logins[i]),
           std::string_view(record.record_id), std::string_view(record.action),
           std::string_view(fields), now}));
      if (db.changes() > 0) {
        ++result.accepted;
      } else {
        ++result.duplicates;
      }
    }
    return Status::ok();
  });
  if (!stored.isOk()) return stored;
  return result;
}

}  // namespace vigie::collector
