#pragma once

// Password hashes for the collector's local accounts: scrypt (OpenSSL), N=2^15, r=8, p=1, 16-byte
// random salt, 32-byte output, stored as "scrypt$15$8$1$<salt hex>$<hash hex>". The parameters
// travel in the string so they can be raised later without invalidating stored hashes.

#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::crypto {

StatusOr<std::string> hashPassword(std::string_view password);
// False for a wrong password and for a stored string that is not a hash this code wrote.
bool verifyPassword(std::string_view password, std::string_view stored);

}  // namespace vigie::crypto
