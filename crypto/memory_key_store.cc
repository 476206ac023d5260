#include <algorithm>
#include <map>
#include <mutex>

#include "vigie/crypto/key_store.h"
#include "vigie/crypto/random.h"

namespace vigie::crypto {
namespace {

class MemoryKeyStore final : public KeyStore {
 public:
  StatusOr<SecretKey> loadOrCreate(std::string_view name) override {
    VIGIE_RETURN_IF_ERROR(checkKeyName(name));
    std::lock_guard lock(mu_);
    auto it = keys_.find(std::string(name));
    if (it != keys_.end()) return it->second;
    auto key = generateKey();
    if (!key.isOk()) return key.status();
    keys_.emplace(std::string(name), *key);
    return key;
  }

  StatusOr<SecretKey> load(std::string_view name) override {
    VIGIE_RETURN_IF_ERROR(checkKeyName(name));
    std::lock_guard lock(mu_);
    auto it = keys_.find(std::string(name));
    if (it == keys_.end()) return Status::notFound("no key " + std::string(name));
    return it->second;
  }

 private:
  std::mutex mu_;
  std::map<std::string, SecretKey> keys_;  // GUARDED_BY(mu_)
};

}  // namespace

Status checkKeyName(std::string_view name) {
  const bool valid_chars = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (name.empty() || name.size() > 32 || !valid_chars) {
    return Status::invalidArgument("key name must be 1-32 characters of [a-z0-9-]");
  }
  return Status::ok();
}

KeyStorePtr newMemoryKeyStore() { return std::make_unique<MemoryKeyStore>(); }

}  // namespace vigie::crypto
