#include "sensor_client.h"

namespace vigie::testing {

std::string crmViewDraft(const std::string& record_id) {
  return R"({"type":"crm.view","session":"4","data":{"app":"crm-web","screen":"customer",)"
         R"("record_id":")" +
         record_id + R"(","mode":"view","brand":"Acme"}})";
}

std::vector<std::string> exchangeLines(platform::LocalStream& stream,
                                       const std::vector<std::string>& lines) {
  std::string payload;
  size_t expected = 0;
  for (const auto& line : lines) {
    payload += line + "\n";
    if (!line.empty()) ++expected;
  }
  if (!stream.writeAll(payload).isOk()) return {};
  return readReplies(stream, expected);
}

namespace {

// Reads lines until `done` holds for those read so far, or the connection ends.
template <typename Done>
std::vector<std::string> readLinesUntil(platform::LocalStream& stream, const Done& done) {
  std::vector<std::string> replies;
  std::string pending;
  char chunk[4096];
  while (!done(replies)) {
    auto got = stream.read(chunk, sizeof chunk);
    if (!got.isOk() || *got == 0) break;
    pending.append(chunk, *got);
    for (size_t newline; (newline = pending.find('\n')) != std::string::npos;) {
      replies.push_back(pending.substr(0, newline));
      pending.erase(0, newline + 1);
    }
  }
  return replies;
}

}  // namespace

std::vector<std::string> readReplies(platform::LocalStream& stream, size_t expected) {
  return readLinesUntil(stream, [expected](const std::vector<std::string>& replies) {
    return replies.size() >= expected;
  });
}

std::vector<std::string> readRepliesThrough(platform::LocalStream& stream, std::string_view last) {
  return readLinesUntil(stream, [last](const std::vector<std::string>& replies) {
    return !replies.empty() && replies.back() == last;
  });
}

}  // namespace vigie::testing
