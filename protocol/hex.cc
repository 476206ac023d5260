#include "vigie/protocol/hex.h"

namespace vigie::protocol {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

void appendHex(std::string& out, std::span<const uint8_t> bytes) {
  for (uint8_t byte : bytes) {
    out += kHexDigits[byte >> 4];
    out += kHexDigits[byte & 0xF];
  }
}

std::string toHex(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  appendHex(out, bytes);
  return out;
}

Status parseHex(std::string_view field, std::string_view hex, std::span<uint8_t> out) {
  if (hex.size() != out.size() * 2) {
    return Status::invalidArgument("field " + std::string(field) + ": expected " +
                                   std::to_string(out.size() * 2) + " hex digits");
  }
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = hexValue(hex[2 * i]);
    const int low = hexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return Status::invalidArgument("field " + std::string(field) + ": not lower-case hex");
    }
    out[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return Status::ok();
}

}  // namespace vigie::protocol
