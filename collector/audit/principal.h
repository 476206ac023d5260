#pragma once

// Who is calling the audit API: an account, its role and the client brand it is bound to.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigie::collector {

enum class Role : uint8_t { kAdmin, kAuditor, kDpo, kFleet, kIntegration };
inline constexpr Role kAllRoles[] = {Role::kAdmin, Role::kAuditor, Role::kDpo, Role::kFleet,
                                     Role::kIntegration};

std::string_view roleName(Role role);
std::optional<Role> roleFromName(std::string_view name);

// A set of roles, for route permissions.
class Roles {
 public:
  constexpr Roles() = default;
  constexpr Roles(std::initializer_list<Role> roles) {
    for (Role role : roles) bits_ |= bit(role);
  }
  constexpr bool has(Role role) const { return (bits_ & bit(role)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }

 private:
  static constexpr uint32_t bit(Role role) { return 1u << static_cast<uint32_t>(role); }
  uint32_t bits_ = 0;
};

struct Principal {
  std::string user;
  Role role = Role::kAuditor;
  std::string brand;  // empty: every brand (the call centre's own staff)

  // Whether this principal may see data of `brand` ("" = data of no brand).
  bool seesBrand(std::string_view data_brand) const { return brand.empty() || brand == data_brand; }
};

}  // namespace vigie::collector
