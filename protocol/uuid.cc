#include "vigie/protocol/uuid.h"

namespace vigie::protocol {
namespace {

constexpr char kHex[] = "0123456789abcdef";

int lowerHexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool isDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

Uuid makeUuidV7(int64_t unix_ms, const std::array<uint8_t, 10>& random) {
  Uuid uuid{};
  const auto ms = static_cast<uint64_t>(unix_ms);
  for (int i = 0; i < 6; ++i)
    uuid[static_cast<size_t>(i)] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  for (size_t i = 0; i < 10; ++i) uuid[6 + i] = random[i];
  uuid[6] = static_cast<uint8_t>(0x70 | (uuid[6] & 0x0F));
  uuid[8] = static_cast<uint8_t>(0x80 | (uuid[8] & 0x3F));
  return uuid;
}

std::string toString(const Uuid& uuid) {
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[uuid[i] >> 4];
    out += kHex[uuid[i] & 0xF];
  }
  return out;
}

std::optional<Uuid> parseUuidV7(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid uuid{};
  size_t byte = 0;
  for (size_t i = 0; i < text.size();) {
    if (isDashPosition(i)) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int high = lowerHexDigit(text[i]);
    const int low = lowerHexDigit(text[i + 1]);
    if (high < 0 || low < 0 || isDashPosition(i + 1)) return std::nullopt;
    uuid[byte++] = static_cast<uint8_t>(high << 4 | low);
    i += 2;
  }
  if ((uuid[6] >> 4) != 7 || (uuid[8] >> 6) != 2) return std::nullopt;
  return uuid;
}

}  // namespace vigie::protocol
