#include "vigie/protocol/canonical.h"

namespace vigie::protocol {
namespace {

constexpr std::string_view kMagic = "VIGIE-EVENT\x01";

void putU64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

void putU32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

void putText(std::string& out, std::string_view value) {
  putU32(out, static_cast<uint32_t>(value.size()));
  out.append(value);
}

class CanonicalWriter {
 public:
  explicit CanonicalWriter(std::string& out) : out_(out) {}

  void text(std::string_view, const std::string& value, size_t) { putText(out_, value); }
  void optionalText(std::string_view, const std::optional<std::string>& value, size_t) {
    out_ += static_cast<char>(value ? 1 : 0);
    if (value) putText(out_, *value);
  }
  void number(std::string_view, uint64_t value) { putU64(out_, value); }
  void optionalNumber(std::string_view, const std::optional<uint64_t>& value) {
    out_ += static_cast<char>(value ? 1 : 0);
    if (value) putU64(out_, *value);
  }
  template <typename E>
  void enumeration(std::string_view, E value) {
    putText(out_, enumNames(value)[static_cast<size_t>(value)]);
  }
  void textList(std::string_view, const std::vector<std::string>& values, size_t, size_t) {
    putU32(out_, static_cast<uint32_t>(values.size()));
    for (const auto& value : values) putText(out_, value);
  }
  template <typename T>
  void object(std::string_view, const T& value) {
    T::describe(value, *this);
  }
  void typeCounts(std::string_view, const std::vector<DroppedCount>& counts) {
    putU32(out_, static_cast<uint32_t>(counts.size()));
    for (const auto& entry : counts) {
      putText(out_, typeName(entry.type));
      putU64(out_, entry.count);
    }
  }

 private:
  std::string& out_;
};

}  // namespace

void appendCanonical(std::string& out, const Event& event) {
  out.append(kMagic);
  putU32(out, event.schema);
  out.append(reinterpret_cast<const char*>(event.id.data()), event.id.size());
  putU64(out, event.seq);
  putU64(out, static_cast<uint64_t>(event.time_ms));
  putText(out, event.device);
  putText(out, event.user);
  putText(out, event.session);
  putText(out, typeName(event.type));
  CanonicalWriter writer(out);
  std::visit([&](const auto& p) { std::decay_t<decltype(p)>::describe(p, writer); }, event.data);
}

std::string canonicalBytes(const Event& event) {
  std::string out;
  out.reserve(256);
  appendCanonical(out, event);
  return out;
}

}  // namespace vigie::protocol
