#include "api/api_call.h"

#include <charconv>
#include <iostream>

#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {

ApiReply json(int status, std::string body) {
  ApiReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

ApiReply error(int status, std::string_view message) {
  std::string body = "{\"error\":";
  protocol::json::appendString(body, message);
  body += "}";
  return json(status, std::move(body));
}

std::optional<int64_t> pathId(const ApiCall& call) {
  if (call.path_args.empty()) return std::nullopt;
  return parsePositive(call.path_args[0]);
}

std::optional<int64_t> parsePositive(std::string_view text) {
  int64_t id = 0;
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (failure != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::optional<int64_t> parseApiTime(const std::string& text) {
  if (text.size() == 10) return protocol::parseUtcMillis(text + "T00:00:00.000Z");
  return protocol::parseUtcMillis(text);
}

StatusOr<std::optional<std::string>> brandScope(const ApiCall& call) {
  const Principal& caller = *call.principal;
  const std::string* brand = call.param("brand");
  if (!caller.brand.empty()) {
    if (brand != nullptr && *brand != caller.brand) {
      return Status::permissionDenied("your account sees brand " + caller.brand + " only");
    }
    return std::optional<std::string>(caller.brand);
  }
  if (brand != nullptr) return std::optional<std::string>(*brand);
  return std::optional<std::string>();
}

ApiReply noContent() {
  ApiReply reply;
  reply.status = 204;
  return reply;
}

ApiReply fromStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return noContent();
    case Status::Code::kInvalidArgument:
      return error(400, status.message());
    case Status::Code::kPermissionDenied:
      return error(403, status.message());
    case Status::Code::kNotFound:
      return error(404, status.message());
    case Status::Code::kFailedPrecondition:
      return error(409, status.message());
    case Status::Code::kResourceExhausted:
      return error(413, status.message());
    default:
      std::cerr << "vigie-collector: audit API: " << status.toString() << std::endl;
      return error(500, "the collector could not answer; its log says why");
  }
}

}  // namespace vigie::collector::api
