#include "store_location.h"

#include <filesystem>

#include "vigie/collector/collector_home.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::bench {

StatusOr<StoreLocation> locateStore(const std::string& dir) {
  if (std::filesystem::exists(dir + "/store.key")) {
    auto bytes = platform::readSmallFile(dir + "/store.key", 64);
    if (!bytes.isOk()) return bytes.status();
    if (bytes->size() != crypto::SecretKey::kSize) {
      return Status::invalidArgument(dir + "/store.key: expected 32 bytes");
    }
    return StoreLocation{dir + "/store.db",
                         crypto::SecretKey(std::span<const uint8_t, crypto::SecretKey::kSize>(
                             reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()))};
  }
  auto home = collector::openCollectorHome(dir);
  if (!home.isOk()) return home.status();
  return StoreLocation{home->store_file, home->store_key};
}

}  // namespace vigie::bench
