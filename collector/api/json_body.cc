#include "api/json_body.h"

#include <algorithm>

namespace vigie::collector::api {

namespace json = protocol::json;

StatusOr<JsonBody> JsonBody::parse(std::string_view body,
                                   std::initializer_list<std::string_view> allowed) {
  auto value = json::parse(body, 4);
  if (!value.isOk()) return Status::invalidArgument("body: " + value.status().message());
  if (value->kind != json::Value::Kind::kObject) {
    return Status::invalidArgument("body: a JSON object is expected");
  }
  for (const json::Member& member : value->object) {
    if (std::find(allowed.begin(), allowed.end(), member.first) == allowed.end()) {
      return Status::invalidArgument("body: unknown key \"" + member.first + "\"");
    }
  }
  return JsonBody(std::move(value).value());
}

StatusOr<std::optional<std::string>> JsonBody::text(std::string_view key, size_t max,
                                                    bool required) const {
  const json::Value* found = value_.find(key);
  if (found == nullptr || found->kind == json::Value::Kind::kNull) {
    if (required) return Status::invalidArgument("body: \"" + std::string(key) + "\" is missing");
    return std::optional<std::string>();
  }
  if (found->kind != json::Value::Kind::kString || !isCleanText(found->string, max)) {
    return Status::invalidArgument("body: \"" + std::string(key) + "\" must be text of 1-" +
                                   std::to_string(max) + " characters on one line");
  }
  return std::optional<std::string>(found->string);
}

StatusOr<std::optional<int64_t>> JsonBody::integer(std::string_view key, int64_t low, int64_t high,
                                                   bool required) const {
  const json::Value* found = value_.find(key);
  if (found == nullptr) {
    if (required) return Status::invalidArgument("body: \"" + std::string(key) + "\" is missing");
    return std::optional<int64_t>();
  }
  const bool in_range = found->kind == json::Value::Kind::kInteger && !found->negative &&
                        found->magnitude >= static_cast<uint64_t>(low) &&
                        found->magnitude <= static_cast<uint64_t>(high);
  if (!in_range) {
    return Status::invalidArgument("body: \"" + std::string(key) + "\" must be a number in " +
                                   std::to_string(low) + ".." + std::to_string(high));
  }
  return std::optional<int64_t>(static_cast<int64_t>(found->magnitude));
}

}  // namespace vigie::collector::api
