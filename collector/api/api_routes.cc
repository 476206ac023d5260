#include "api/api_routes.h"

#include "api/route_functions.h"
#include "audit/text_rules.h"

namespace vigie::collector::api {
namespace {

constexpr size_t kSmallBody = 16 * 1024;
constexpr size_t kCrmBody = 1024 * 1024;
constexpr size_t kShiftsBody = 4 * 1024 * 1024;
constexpr size_t kPolicyBody = 1024 * 1024;
constexpr std::string_view kPaging = "from,to,limit,after,brand";

constexpr Roles kReaders{Role::kAuditor, Role::kDpo};
constexpr Roles kDpo{Role::kDpo};
constexpr Roles kAdmin{Role::kAdmin};
constexpr Roles kFleet{Role::kAdmin, Role::kFleet};
constexpr Roles kKeepers{Role::kAdmin, Role::kDpo};
constexpr Roles kPolicyReaders{Role::kAdmin, Role::kFleet, Role::kDpo};
constexpr Roles kInvestigators{Role::kAdmin, Role::kAuditor, Role::kDpo};
constexpr Roles kEveryone{Role::kAdmin, Role::kAuditor, Role::kDpo, Role::kFleet,
                          Role::kIntegration};

constexpr Route kRoutes[] = {
    {"POST", "/v1/auth/login", {}, "", kSmallBody, login},
    {"POST", "/v1/auth/logout", kEveryone, "", kSmallBody, logout},
    {"GET", "/v1/auth/me", kEveryone, "", 0, whoAmI},
    {"GET", "/v1/accounts", kAdmin, "", 0, listAccounts},
    {"POST", "/v1/accounts", kAdmin, "", kSmallBody, addAccount},
    {"DELETE", "/v1/accounts/{}", kAdmin, "", 0, removeAccount},
    {"GET", "/v1/audit/record", kReaders, "id,from,to,limit,after,brand", 0, recordHistory},
    {"GET", "/v1/audit/timeline", kReaders, "user,from,to,limit,after,brand", 0, userTimeline},
    {"GET", "/v1/audit/exports", kReaders, "team,pii,from,to,limit,after,brand", 0, exports},
    {"GET", "/v1/audit/incidents", kReaders, kPaging, 0, incidents},
    {"POST", "/v1/reveals", kReaders, "", kSmallBody, requestReveal},
    {"GET", "/v1/reveals", kReaders, "", 0, listReveals},
    {"POST", "/v1/reveals/{}/approve", kDpo, "", kSmallBody, approveReveal},
    {"POST", "/v1/reveals/{}/deny", kDpo, "", kSmallBody, denyReveal},
    {"GET", "/v1/reveals/{}", kReaders, "", 0, showReveal},
    {"GET", "/v1/trail", kDpo, "after,limit", 0, readTrail},
    {"GET", "/v1/trail/verify", kDpo, "", 0, verifyTrail},
    {"POST", "/v1/crm-events", Roles{Role::kIntegration}, "", kCrmBody, postCrmEvents},
    {"PUT", "/v1/people/{}", kAdmin, "", kSmallBody, setPerson},
    {"PUT", "/v1/devices/{}", kFleet, "", kSmallBody, assignDevice},
    {"GET", "/v1/fleet", kFleet, "status", 0, fleetStatus},
    {"GET", "/v1/fleet/{}", kFleet, "", 0, fleetDevice},
    {"GET", "/v1/retention", kKeepers, "", 0, showRetention},
    {"PUT", "/v1/retention/{}", kKeepers, "", kSmallBody, setRetention},
    {"POST", "/v1/retention/purge", kKeepers, "", kSmallBody, purgeNow},
    {"GET", "/v1/holds", kDpo, "", 0, listHolds},
    {"POST", "/v1/holds", kDpo, "", kSmallBody, addHold},
    {"DELETE", "/v1/holds/{}", kDpo, "", 0, releaseHold},
    {"GET", "/v1/brands/{}/export", kDpo, "", 0, exportBrand},
    {"POST", "/v1/calls", Roles{Role::kIntegration}, "", kCrmBody, postCalls},
    {"POST", "/v1/shifts", kAdmin, "", kShiftsBody, postShifts},
    {"GET", "/v1/shifts", kInvestigators, "", 0, listShifts},
    {"GET", "/v1/watchlist", kInvestigators, "brand", 0, listWatchlist},
    {"PUT", "/v1/watchlist/{}", kKeepers, "brand", kSmallBody, putWatchlist},
    {"DELETE", "/v1/watchlist/{}", kKeepers, "brand", 0, deleteWatchlist},
    {"GET", "/v1/alerts", kReaders, "status,rule,person,from,to,before,limit,brand", 0, listAlerts},
    {"GET", "/v1/alerts/{}", kReaders, "", 0, showAlert},
    {"POST", "/v1/alerts/{}/acknowledge", kReaders, "", kSmallBody, acknowledgeAlert},
    {"POST", "/v1/alerts/{}/close", kReaders, "", kSmallBody, closeAlert},
    {"GET", "/v1/detection/policy", kInvestigators, "", 0, showDetectionPolicy},
    {"POST", "/v1/detection/runs", kReaders, "", kSmallBody, startRun},
    {"GET", "/v1/detection/runs", kReaders, "", 0, listRuns},
    {"GET", "/v1/detection/runs/{}", kReaders, "", 0, showRun},
    {"DELETE", "/v1/brands/{}", kDpo, "", kSmallBody, deleteBrand},
    {"GET", "/v1/workstation-policy", kPolicyReaders, "", 0, showWorkstationPolicy},
    {"POST", "/v1/workstation-policy", kFleet, "", kPolicyBody, activateWorkstationPolicy},
    {"GET", "/v1/workstation-policy/history", kPolicyReaders, "", 0, workstationPolicyHistory},
    {"GET", "/v1/compliance-pack", kKeepers, "", 0, compliancePack},
};

// Path segments are names or numbers; "." and ".." never name anything.
bool isSegment(std::string_view segment) {
  return isValidName(segment) && segment != "." && segment != "..";
}

}  // namespace

std::span<const Route> apiRoutes() { return kRoutes; }

bool matchRoute(std::string_view pattern, std::string_view path, std::vector<std::string>& args) {
  args.clear();
  while (!pattern.empty() && !path.empty()) {
    const size_t hole = pattern.find("{}");
    if (hole == std::string_view::npos) return pattern == path;
    if (path.substr(0, hole) != pattern.substr(0, hole)) return false;
    path.remove_prefix(hole);
    pattern.remove_prefix(hole + 2);
    const size_t end = std::min(path.find('/'), path.size());
    if (!isSegment(path.substr(0, end))) return false;
    args.emplace_back(path.substr(0, end));
    path.remove_prefix(end);
  }
  return pattern.empty() && path.empty();
}

}  // namespace vigie::collector::api
