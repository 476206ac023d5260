// The fleet view: enrolled workstations, their latest heartbeat and their status (docs/fleet.md,
// GET /v1/fleet and /v1/fleet/{device}).
#include "api_calls.h"
#include "commands.h"
#include "item_format.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

constexpr std::string_view kStatuses = "healthy, late, silent, outdated or unknown";

// The member `path` ("queue.events") of `object` as a cell; "" when absent.
std::string cell(const json::Value& object, std::initializer_list<std::string_view> path) {
  const json::Value* value = &object;
  for (std::string_view key : path) {
    if (value->kind != json::Value::Kind::kObject) return "";
    value = value->find(key);
    if (value == nullptr) return "";
  }
  return cellText(*value);
}

std::string sessionCount(const json::Value& item) {
  const json::Value* sessions = item.find("sessions");
  if (sessions == nullptr || sessions->kind != json::Value::Kind::kArray) return "";
  return std::to_string(sessions->array.size());
}

std::vector<std::string> fleetRow(const json::Value& item) {
  return {cell(item, {"device"}),
          cell(item, {"host"}),
          cell(item, {"status"}),
          cell(item, {"last_seen"}),
          cell(item, {"agent_version"}),
          cell(item, {"policy", "serial"}),
          cell(item, {"queue", "events"}),
          cell(item, {"queue", "oldest_event_age_seconds"}),
          cell(item, {"drops"}),
          cell(item, {"last_upload"}),
          sessionCount(item)};
}

int fleetList(Context& context, const Invocation& invocation) {
  ApiRequest request;
  request.path = {"v1", "fleet"};
  if (invocation.args.has("status")) {
    request.query.emplace_back("status", invocation.args.text("status"));
  }
  auto answer = callSaved(context, request);
  if (!answer.isOk()) return fail(context, answer.status());
  auto page = parsePage(*answer);
  if (!page.isOk()) return fail(context, page.status());
  if (invocation.args.has("json")) {
    for (const auto& item : page->items) context.out << toJson(item) << '\n';
    return kExitOk;
  }
  if (page->items.empty()) {
    context.err << (invocation.args.has("status") ? "no workstation with that status\n"
                                                  : "no enrolled workstations\n");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : page->items) rows.push_back(fleetRow(item));
  printTable(context.out,
             {"device", "host", "status", "last heartbeat", "agent", "policy", "queued",
              "oldest (s)", "drops", "last upload", "sensors"},
             rows);
  return kExitOk;
}

int fleetShow(Context& context, const Invocation& invocation) {
  return showItem(context, invocation, {"v1", "fleet", invocation.args.positionals()[0]},
                  "sessions", "session sensors", "none");
}

}  // namespace

std::vector<Command> fleetCommands() {
  static const std::string list_help =
      "Status: healthy; late (no heartbeat for 2 intervals and a grace); silent (none for the\n"
      "collector's silence threshold, 10 minutes by default); outdated (an older agent or policy\n"
      "than the collector's); unknown (never heard from).\n\n"
      "Options:\n"
      "  --status S  only the workstations with that status: " +
      std::string(kStatuses) +
      "\n"
      "  --json      one JSON object per line, as the API answers\n";
  return {
      {"fleet list",
       "[--status S] [--json]",
       "enrolled workstations, their heartbeat and status (admin, fleet)",
       list_help,
       {{"status", true}, {"json", false}},
       0,
       0,
       fleetList},
      {"fleet show",
       "DEVICE [--json]",
       "one workstation: status, agent, policy, queue, uploads, session sensors (admin, fleet)",
       "Options:\n  --json  the API's answer as it is\n",
       {{"json", false}},
       1,
       1,
       fleetShow},
  };
}

}  // namespace vigie::ctl
