// reveal request|list|approve|deny|show: revealing the login behind a pseudonym takes two people.
#include "api_calls.h"
#include "commands.h"
#include "item_format.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

std::string idOf(const json::Value& answer) {
  const json::Value* id = answer.find("id");
  return id == nullptr ? "" : cellText(*id);
}

std::string statusOf(const json::Value& answer) {
  const json::Value* status = answer.find("status");
  return status == nullptr ? "" : cellText(*status);
}

int request(Context& context, const Invocation& invocation) {
  if (!invocation.args.has("reason")) return usage(context, invocation, "--reason is required");
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest call;
  call.method = HttpMethod::kPost;
  call.path = {"v1", "reveals"};
  call.body = "{\"pseudonym\":";
  json::appendString(call.body, invocation.args.positionals()[0]);
  call.body += ",\"reason\":";
  json::appendString(call.body, invocation.args.text("reason"));
  call.body += "}";
  auto answer = callForObject(*connection->client, call);
  if (!answer.isOk()) return fail(context, answer.status());
  context.out << "reveal request " << printable(idOf(*answer)) << " "
              << printable(statusOf(*answer))
              << ": another DPO approves it with 'vigiectl reveal approve "
              << printable(idOf(*answer)) << "'\n";
  return kExitOk;
}

int list(Context& context, const Invocation& invocation) {
  return listItems(context, invocation, {"v1", "reveals"}, "no reveal requests");
}

int decide(Context& context, const Invocation& invocation, const char* decision) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest call;
  call.method = HttpMethod::kPost;
  call.path = {"v1", "reveals", invocation.args.positionals()[0], decision};
  auto answer = callForObject(*connection->client, call);
  if (!answer.isOk()) return fail(context, answer.status());
  context.out << "reveal request " << printable(idOf(*answer)) << " "
              << printable(statusOf(*answer)) << '\n';
  return kExitOk;
}

int approve(Context& context, const Invocation& invocation) {
  return decide(context, invocation, "approve");
}

int deny(Context& context, const Invocation& invocation) {
  return decide(context, invocation, "deny");
}

int show(Context& context, const Invocation& invocation) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest call;
  call.path = {"v1", "reveals", invocation.args.positionals()[0]};
  auto answer = callForObject(*connection->client, call);
  if (!answer.isOk()) return fail(context, answer.status());
  if (invocation.args.has("json")) {
    context.out << toJson(*answer) << '\n';
  } else {
    printObject(context.out, *answer);
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> revealCommands() {
  return {
      {"reveal request",
       "PSEUDONYM --reason TEXT",
       "ask for the login behind a pseudonym (another DPO must approve)",
       "Options:\n"
       "  --reason TEXT  why (10-500 characters); written to the audit trail\n",
       {{"reason", true}},
       1,
       1,
       request},
      {"reveal list",
       "[--json]",
       "the requests you made and, for a DPO, those waiting for approval",
       "Options:\n  --json  one JSON item per line\n",
       {{"json", false}},
       0,
       0,
       list},
      {"reveal approve", "ID", "approve another person's request (DPO)", "", {}, 1, 1, approve},
      {"reveal deny", "ID", "deny another person's request (DPO)", "", {}, 1, 1, deny},
      {"reveal show",
       "ID [--json]",
       "a request; once approved, the identity (for 24 hours, each reading is in the trail)",
       "Options:\n  --json  the answer as JSON\n",
       {{"json", false}},
       1,
       1,
       show},
  };
}

}  // namespace vigie::ctl
