#include "detect/call_lines.h"

#include <algorithm>

#include "audit/json_lines.h"
#include "audit/text_rules.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;

constexpr std::string_view kKinds[] = {"call", "ticket", "callback"};

StatusOr<Call> parseCall(const json::Value& object) {
  Call call;
  auto id = requiredText(object, "id", 128);
  if (!id.isOk()) return id.status();
  call.call_id = std::move(*id);
  auto kind = optionalText(object, "kind", 16, "call");
  if (!kind.isOk()) return kind.status();
  if (std::find(std::begin(kKinds), std::end(kKinds), *kind) == std::end(kKinds)) {
    return Status::invalidArgument("\"kind\" must be call, ticket or callback");
  }
  call.kind = std::move(*kind);
  auto agent = requiredText(object, "agent", 64);
  if (!agent.isOk()) return agent.status();
  if (!isValidName(*agent)) {
    return Status::invalidArgument(
        "\"agent\" must be a login: 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  call.agent = std::move(*agent);
  auto start = requiredTime(object, "start");
  if (!start.isOk()) return start.status();
  auto end = requiredTime(object, "end");
  if (!end.isOk()) return end.status();
  if (*end < *start || *end - *start > kMaxCallDurationMs) {
    return Status::invalidArgument("\"end\" must be after \"start\", within 24 hours");
  }
  call.start_ms = *start;
  call.end_ms = *end;
  auto record_id = optionalText(object, "record_id", 256, "");
  if (!record_id.isOk()) return record_id.status();
  call.record_id = std::move(*record_id);
  auto campaign = optionalText(object, "campaign", 128, "");
  if (!campaign.isOk()) return campaign.status();
  call.campaign = std::move(*campaign);
  return call;
}

}  // namespace

StatusOr<std::vector<Call>> parseCallLines(std::string_view text) {
  std::vector<Call> calls;
  const JsonLinesFormat format{"call",
                               kMaxCallLines,
                               {"id", "kind", "agent", "start", "end", "record_id", "campaign"},
                               "calls carry identifiers only: no phone numbers, no recordings"};
  VIGIE_RETURN_IF_ERROR(forEachJsonLine(text, format, [&](const json::Value& object) -> Status {
    auto call = parseCall(object);
    if (!call.isOk()) return call.status();
    calls.push_back(std::move(call).value());
    return Status::ok();
  }));
  return calls;
}

}  // namespace vigie::collector
