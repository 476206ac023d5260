#include "my_data_client.h"

#include "vigie/platform/local_socket.h"
#include "vigie/protocol/my_data.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::session {
namespace {

namespace json = protocol::json;
using Kind = json::Value::Kind;

constexpr size_t kMaxAnswerBytes = 256 << 20;  // far above the service's bounds

Status malformed(const std::string& why) {
  return Status::corruption("my data: unexpected answer from the service: " + why);
}

StatusOr<uint64_t> integerMember(const json::Value& object, std::string_view name) {
  const json::Value* value = object.find(name);
  if (value == nullptr || value->kind != Kind::kInteger || value->negative) {
    return malformed(std::string(name) + " missing");
  }
  return value->magnitude;
}

StatusOr<std::string> textMember(const json::Value& object, std::string_view name) {
  const json::Value* value = object.find(name);
  if (value == nullptr || value->kind != Kind::kString) return malformed(std::string(name));
  return value->string;
}

StatusOr<int64_t> timeMember(const json::Value& object, std::string_view name) {
  auto text = textMember(object, name);
  if (!text.isOk()) return text.status();
  auto ms = protocol::parseUtcMillis(*text);
  if (!ms) return malformed(std::string(name) + " is not a time");
  return *ms;
}

Status firstError(std::initializer_list<Status> statuses) {
  for (const Status& status : statuses) {
    if (!status.isOk()) return status;
  }
  return Status::ok();
}

}  // namespace

StatusOr<MyData> decodeMyData(const std::vector<std::string>& lines) {
  if (lines.empty()) return malformed("no header");
  auto header = json::parse(lines.front());
  if (!header.isOk() || header->kind != Kind::kObject) return malformed("header");
  MyData out;
  auto user = textMember(*header, "user");
  auto since = timeMember(*header, "since");
  auto dropped = integerMember(*header, "dropped");
  auto entries = integerMember(*header, "entries");
  VIGIE_RETURN_IF_ERROR(
      firstError({user.status(), since.status(), dropped.status(), entries.status()}));
  if (*entries != lines.size() - 1) return malformed("entry count");
  out.user = *user;
  out.since_ms = *since;
  out.dropped = *dropped;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto entry = json::parse(lines[i]);
    if (!entry.isOk() || entry->kind != Kind::kObject) return malformed("entry");
    MyDataItem item;
    auto seq = integerMember(*entry, "seq");
    auto time = timeMember(*entry, "time");
    auto session = textMember(*entry, "session");
    auto type = textMember(*entry, "type");
    VIGIE_RETURN_IF_ERROR(
        firstError({seq.status(), time.status(), session.status(), type.status()}));
    const json::Value* data = entry->find("data");
    if (data == nullptr || data->kind != Kind::kObject) return malformed("data");
    item.seq = *seq;
    item.time_ms = *time;
    item.session = *session;
    item.type = *type;
    item.data = *data;
    item.line = lines[i];
    out.items.push_back(std::move(item));
  }
  return out;
}

StatusOr<MyData> fetchMyData(const std::string& socket_path) {
  auto connected = platform::connectLocal(socket_path);
  if (!connected.isOk()) return connected.status();
  platform::LocalStream& stream = **connected;
  VIGIE_RETURN_IF_ERROR(stream.writeAll(std::string(protocol::kMyDataRequest) + "\n"));
  std::vector<std::string> lines;
  std::string pending;
  size_t total = 0;
  char chunk[16384];
  while (true) {
    auto got = stream.read(chunk, sizeof chunk);
    if (!got.isOk()) return got.status();
    if (*got == 0) return malformed("it closed the connection");
    total += *got;
    if (total > kMaxAnswerBytes) return malformed("too large");
    pending.append(chunk, *got);
    for (size_t newline; (newline = pending.find('\n')) != std::string::npos;) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (line == protocol::kMyDataEnd) return decodeMyData(lines);
      if (lines.empty() && line.starts_with("error ")) {
        return Status::failedPrecondition("my data: the service refused: " + line.substr(6));
      }
      lines.push_back(std::move(line));
    }
  }
}

}  // namespace vigie::session
