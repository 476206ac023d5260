#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"

namespace vigie::crypto {

// Holds the agent's long-lived keys by name ("queue", "chain"). Names are [a-z0-9-], 1-32 chars.
// Implementations are thread-safe.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // The key called `name`, created from the CSPRNG on first use and durable once returned.
  virtual StatusOr<SecretKey> loadOrCreate(std::string_view name) = 0;
  // The existing key called `name`; kNotFound if there is none. Never creates anything.
  virtual StatusOr<SecretKey> load(std::string_view name) = 0;
};
using KeyStorePtr = std::unique_ptr<KeyStore>;

// Returns invalid argument unless `name` is a valid key name.
Status checkKeyName(std::string_view name);

// Keys in memory only, for tests.
KeyStorePtr newMemoryKeyStore();

#ifdef _WIN32
// Keys as files `<dir>\<name>.key` holding a DPAPI blob sealed to this machine
// (CRYPTPROTECT_LOCAL_MACHINE) with the key's name mixed in, so that a blob copied to another
// name or another machine does not unprotect. Creates `dir` and the files with a protected DACL
// granting SYSTEM and Administrators only; files are written atomically. Refuses, with a message
// saying why, a blob that does not unprotect or not to 32 bytes, and a directory or file that
// grants access to anyone but SYSTEM, Administrators or its owner, or whose owner is not one of
// them or the account this process runs as. `dir` is UTF-8; its parent must exist. Machine scope
// means any process on this machine that can read a file can unprotect it: the DACL is what keeps
// the keys from ordinary users (docs/windows-keys.md). When processes race to create a key, the
// first file written wins and every caller gets that key.
KeyStorePtr newDpapiKeyStore(std::string dir);
#else
// Keys as files `<dir>/<name>.key` (raw 32 bytes), created 0600 and written atomically. Refuses,
// with a message saying how to fix it, a file that is not a regular file, not owned by the
// effective user, readable or writable by group or others, or not exactly 32 bytes. Creates `dir`
// 0700 if missing and refuses a directory others can write to.
KeyStorePtr newFileKeyStore(std::string dir);
#endif

}  // namespace vigie::crypto
