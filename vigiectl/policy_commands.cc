// The workstation policy and the compliance pack (docs/fleet.md, the /v1/workstation-policy and
// /v1/compliance-pack routes).
#include <filesystem>

#include "api_calls.h"
#include "commands.h"
#include "item_format.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

constexpr size_t kMaxPolicyFile = size_t{1} << 20;

std::string textOf(const json::Value& object, std::string_view key) {
  const json::Value* value = object.find(key);
  if (value == nullptr) return "";
  return value->kind == json::Value::Kind::kString ? value->string : cellText(*value);
}

int policyActivate(Context& context, const Invocation& invocation) {
  const std::string path = invocation.args.positionals()[0];
  auto document = platform::readSmallFile(path, kMaxPolicyFile);
  if (!document.isOk()) return fail(context, document.status());
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "workstation-policy"};
  request.body = std::move(document).value();
  auto activated = callSaved(context, request);
  if (!activated.isOk()) return fail(context, activated.status().withContext(path));
  const json::Value* unchanged = activated->find("unchanged");
  if (unchanged != nullptr && unchanged->kind == json::Value::Kind::kBool && unchanged->boolean) {
    context.out << "policy " << printable(textOf(*activated, "serial")) << " ("
                << printable(textOf(*activated, "version"))
                << ") already says this: it stays in force, nothing activated\n";
    return kExitOk;
  }
  context.out << "policy " << printable(textOf(*activated, "serial")) << " ("
              << printable(textOf(*activated, "version"))
              << ") activated and signed; workstations apply it at their next heartbeat\n";
  return kExitOk;
}

int policyShow(Context& context, const Invocation& invocation) {
  ApiRequest request;
  request.path = {"v1", "workstation-policy"};
  auto active = callSaved(context, request);
  if (!active.isOk()) return fail(context, active.status());
  if (invocation.args.has("json")) {
    context.out << toJson(*active) << '\n';
    return kExitOk;
  }
  json::Value head = *active;
  head.object.clear();
  const json::Value* document = nullptr;
  for (const auto& member : active->object) {
    if (member.first == "document") {
      document = &member.second;
    } else if (member.first != "signature") {
      head.object.push_back(member);
    }
  }
  printObject(context.out, head);
  if (document != nullptr) context.out << "\ndocument:\n" << toJson(*document) << '\n';
  return kExitOk;
}

int policyHistory(Context& context, const Invocation& invocation) {
  return listItems(context, invocation, {"v1", "workstation-policy", "history"},
                   "no workstation policy was activated yet");
}

int compliancePack(Context& context, const Invocation& invocation) {
  const std::string dir = invocation.args.text("out");
  if (dir.empty()) return usage(context, invocation, "--out DIR is required");
  ApiRequest request;
  request.path = {"v1", "compliance-pack"};
  auto pack = callSaved(context, request);
  if (!pack.isOk()) return fail(context, pack.status());
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(context, Status::ioError("cannot create " + dir + ": " + error.message()));
  for (const char* part : {"processing", "notice", "dpia"}) {
    const json::Value* text = pack->find(part);
    if (text == nullptr || text->kind != json::Value::Kind::kString) {
      return fail(context, Status::invalidArgument(std::string("the answer has no ") + part));
    }
    const std::string file = dir + "/" + part + ".md";
    // Documents meant to be circulated: readable by others, like any document one writes.
    if (Status s = platform::writeFileAtomically(file, text->string, 0644); !s.isOk()) {
      return fail(context, s);
    }
    context.out << file << '\n';
  }
  context.err << "compliance pack of policy " << printable(textOf(*pack, "serial")) << " ("
              << printable(textOf(*pack, "version")) << ") written to " << printable(dir) << '\n';
  return kExitOk;
}

}  // namespace

std::vector<Command> policyCommands() {
  return {
      {"policy activate",
       "FILE",
       "make FILE the workstation policy: checked, signed by the collector, pulled by agents",
       "FILE is a workstation policy (docs/fleet.md): the session rules (applications,\n"
       "clipboard, print, watched places), the notice (controller, contact, purposes,\n"
       "recipients), recording periods, and the agent's upload and queue settings. The\n"
       "collector refuses it, naming the member, when anything is wrong; otherwise it becomes\n"
       "the policy in force, with the next serial number, and every agent applies it at its\n"
       "next heartbeat without a restart.\n",
       {},
       1,
       1,
       policyActivate},
      {"policy show",
       "[--json]",
       "the workstation policy in force, as the collector signed it",
       "Options:\n"
       "  --json            the answer as one JSON object (with the signature)\n",
       {{"json", false}},
       0,
       0,
       policyShow},
      {"policy history",
       "[--json]",
       "every workstation policy activated, newest first",
       "Options:\n"
       "  --json            one JSON object per line\n",
       {{"json", false}},
       0,
       0,
       policyHistory},
      {"compliance-pack",
       "--out DIR",
       "write the compliance pack of the policy in force (processing, notice, DPIA)",
       "Writes DIR/processing.md (the description of the processing: purposes, data,\n"
       "recipients, retention, security), DIR/notice.md (the information notice for\n"
       "employees) and DIR/dpia.md (the points of an impact assessment), generated from the\n"
       "workstation policy in force and the collector's retention settings.\n\n"
       "Options:\n"
       "  --out DIR         where to write the three files (created if missing)\n",
       {{"out", true}},
       0,
       0,
       compliancePack},
  };
}

}  // namespace vigie::ctl
