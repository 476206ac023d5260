#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace vigie::crypto {

// A 256-bit secret. Wiped from memory when destroyed or overwritten; never printed.
class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  SecretKey() = default;
  explicit SecretKey(std::span<const uint8_t, kSize> bytes);
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other);
  ~SecretKey();

  std::span<const uint8_t, kSize> bytes() const { return bytes_; }
  bool operator==(const SecretKey& other) const;

 private:
  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace vigie::crypto
