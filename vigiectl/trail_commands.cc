// trail, trail verify: the audit trail of the audit API itself.
#include "api_calls.h"
#include "commands.h"
#include "item_format.h"
#include "progress.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

int trail(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  auto limit = args.number("limit", 0, 1, 1000);
  if (!limit.isOk()) return usage(context, invocation, limit.status().message());
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.path = {"v1", "trail"};
  if (args.has("limit")) request.query.emplace_back("limit", std::to_string(*limit));
  if (args.has("after")) request.query.emplace_back("after", args.text("after"));
  std::vector<json::Value> items;
  std::string next;
  Progress progress(context.err, args.has("all") && progressWanted(args.has("progress")));
  const Status walked = forEachPage(*connection->client, request, args.has("all"),
                                    [&](const Page& page, size_t number) {
                                      for (const auto& item : page.items) {
                                        if (args.has("json")) {
                                          context.out << toJson(item) << '\n';
                                        } else {
                                          items.push_back(item);
                                        }
                                      }
                                      next = page.next;
                                      progress.update("page " + std::to_string(number));
                                      return Status::ok();
                                    });
  progress.finish();
  if (!walked.isOk()) return fail(context, walked);
  if (!args.has("json")) {
    if (items.empty()) {
      context.err << "no entries\n";
    } else {
      printObjectsTable(context.out, items);
    }
  }
  if (!next.empty() && !args.has("all")) {
    context.err << "more entries: add --all, or --after " << printable(next) << '\n';
  }
  return kExitOk;
}

int verify(Context& context, const Invocation&) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.path = {"v1", "trail", "verify"};
  auto answer = callForObject(*connection->client, request);
  if (!answer.isOk()) return fail(context, answer.status());
  const json::Value* ok = answer->find("ok");
  const json::Value* entries = answer->find("entries");
  const std::string count = entries == nullptr ? "?" : cellText(*entries);
  if (ok == nullptr || ok->kind != json::Value::Kind::kBool) {
    return fail(context, Status::corruption("the collector's answer has no \"ok\""));
  }
  if (ok->boolean) {
    context.out << "audit trail intact: " << printable(count) << " entries, hash chain verified\n";
    return kExitOk;
  }
  const json::Value* broken = answer->find("broken_at");
  context.out << "audit trail BROKEN at entry "
              << printable(broken == nullptr ? "?" : cellText(*broken)) << " (of "
              << printable(count) << "): an entry was changed or removed from there on\n";
  return kExitError;
}

}  // namespace

std::vector<Command> trailCommands() {
  return {
      {"trail",
       "[--limit N] [--all] [--json]",
       "the audit trail: who did what through the API (DPO)",
       "Options:\n"
       "  --limit N       entries per page, 1-1000\n"
       "  --after CURSOR  start at this page\n"
       "  --all           follow every page\n"
       "  --json          one JSON entry per line\n"
       "  --progress      show the page count on standard error\n",
       {{"limit", true}, {"after", true}, {"all", false}, {"json", false}, {"progress", false}},
       0,
       0,
       trail},
      {"trail verify",
       "",
       "check the trail's hash chain (exit 1 when it is broken)",
       "",
       {},
       0,
       0,
       verify},
  };
}

}  // namespace vigie::ctl
