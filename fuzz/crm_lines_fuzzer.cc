// The JSON-lines feeds — the CRM's audit records, the CTI's calls, shift schedules — come from
// other systems over the network: each parser must take any bytes without crashing, and whatever
// it accepts must hold to the rules the stores and the rules engine rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit/crm_lines.h"
#include "audit/text_rules.h"
#include "detect/call_lines.h"
#include "detect/shift_lines.h"

namespace {

using namespace vigie::collector;

void checkCrmRecords(std::string_view text) {
  auto records = parseCrmLines(text);
  if (!records.isOk()) return;
  if (records->empty() || records->size() > kMaxCrmLines) std::abort();
  for (const CrmRecord& record : *records) {
    // Stored comma-separated: a field name must never hold a comma (or anything but a name).
    for (const std::string& field : record.fields) {
      if (field.empty() || field.find(',') != std::string::npos) std::abort();
    }
    if (record.fields.size() > kMaxCrmFields) std::abort();
    if (!isCleanText(record.crm_id, 128) || !isCleanText(record.user, 128) ||
        !isCleanText(record.record_id, 256)) {
      std::abort();
    }
  }
}

void checkCalls(std::string_view text) {
  auto calls = parseCallLines(text);
  if (!calls.isOk()) return;
  if (calls->empty() || calls->size() > kMaxCallLines) std::abort();
  for (const Call& call : *calls) {
    // Lookups bound their index range by the longest call.
    if (call.end_ms < call.start_ms || call.end_ms - call.start_ms > kMaxCallDurationMs) {
      std::abort();
    }
    if (!isValidName(call.agent) || !isCleanText(call.call_id, 128)) std::abort();
    if (call.kind != "call" && call.kind != "ticket" && call.kind != "callback") std::abort();
  }
}

void checkShifts(std::string_view text) {
  auto shifts = parseShiftLines(text);
  if (!shifts.isOk()) return;
  for (const Shift& shift : *shifts) {
    if (shift.days == 0 || shift.days > 0x7f) std::abort();
    if (shift.start_minute < 0 || shift.start_minute > 24 * 60 || shift.end_minute < 0 ||
        shift.end_minute > 24 * 60) {
      std::abort();
    }
    if (describeShift(shift).empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  checkCrmRecords(text);
  checkCalls(text);
  checkShifts(text);
  return 0;
}
