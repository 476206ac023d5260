#pragma once

// What `vigie-session --status` and `--my-data` print for the person: the policy in force, its
// purposes and contact, today's recording periods, and what the agent service recorded about
// them today.

#include <cstdint>
#include <string>

#include "my_data_client.h"
#include "session_policy.h"
#include "vigie/platform/local_time.h"

namespace vigie::session {

// `data` may be an error (service unreachable): the status says so.
std::string statusText(const SessionPolicy& policy, const std::string& policy_path,
                       const StatusOr<MyData>& data, const platform::TimeZone& zone,
                       int64_t now_ms);
std::string myDataText(const MyData& data, const platform::TimeZone& zone);
// One JSON object: user, since, dropped and the entries as the service sent them.
std::string myDataJson(const MyData& data);

}  // namespace vigie::session
