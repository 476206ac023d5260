// CRM audit records come from another company's system over the network: the parser must take any
// bytes without crashing, and whatever it accepts must hold to the rules the store relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit/crm_lines.h"
#include "audit/text_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto records = vigie::collector::parseCrmLines(text);
  if (!records.isOk()) return 0;
  if (records->empty() || records->size() > vigie::collector::kMaxCrmLines) std::abort();
  for (const vigie::collector::CrmRecord& record : *records) {
    // Stored comma-separated: a field name must never hold a comma (or anything but a name).
    for (const std::string& field : record.fields) {
      if (field.empty() || field.find(',') != std::string::npos) std::abort();
    }
    if (record.fields.size() > vigie::collector::kMaxCrmFields) std::abort();
    if (!vigie::collector::isCleanText(record.crm_id, 128) ||
        !vigie::collector::isCleanText(record.user, 128) ||
        !vigie::collector::isCleanText(record.record_id, 256)) {
      std::abort();
    }
  }
  return 0;
}
