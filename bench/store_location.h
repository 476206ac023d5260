#pragma once

// Where a benchmark's collector store is: an audit_data --store directory (store.db and its
// 32-byte store.key) or a collector data directory (keys/store.key).

#include <string>

#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"

namespace vigie::bench {

struct StoreLocation {
  std::string file;
  crypto::SecretKey key;
};

StatusOr<StoreLocation> locateStore(const std::string& dir);

}  // namespace vigie::bench
