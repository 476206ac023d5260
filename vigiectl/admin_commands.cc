// Administration: accounts, people, devices, retention, legal holds, brands.
#include <charconv>

#include "api_calls.h"
#include "commands.h"
#include "item_format.h"
#include "object_builder.h"
#include "password_input.h"
#include "time_option.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

int accountsList(Context& context, const Invocation& invocation) {
  return listItems(context, invocation, {"v1", "accounts"}, "no accounts");
}

int accountsAdd(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  if (!args.has("role")) return usage(context, invocation, "--role is required");
  const std::string name = args.positionals()[0];
  auto password =
      readPassword(args.text("password-file"),
                   "Password for the new account " + name + " (12 characters or more): ",
                   /*confirm=*/true);
  if (!password.isOk()) return fail(context, password.status());
  ObjectBuilder body;
  body.text("user", name).text("password", *password).text("role", args.text("role"));
  if (args.has("brand")) body.text("brand", args.text("brand"));
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "accounts"};
  request.body = body.done();
  return change(context, std::move(request),
                "account " + printable(name) + " created (" + printable(args.text("role")) + ")");
}

int accountsRemove(Context& context, const Invocation& invocation) {
  const std::string name = invocation.args.positionals()[0];
  ApiRequest request;
  request.method = HttpMethod::kDelete;
  request.path = {"v1", "accounts", name};
  return change(context, std::move(request),
                "account " + printable(name) + " removed; its sessions ended");
}

int peopleSet(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  if (!args.has("team")) return usage(context, invocation, "--team is required");
  std::string accounts = "[";
  for (const auto& account : args.all("crm-account")) {
    const size_t colon = account.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == account.size()) {
      return usage(context, invocation, "--crm-account expects BRAND:USER, got '" + account + "'");
    }
    if (accounts.size() > 1) accounts += ',';
    accounts += ObjectBuilder()
                    .text("brand", account.substr(0, colon))
                    .text("user", account.substr(colon + 1))
                    .done();
  }
  accounts += "]";
  const std::string login = args.positionals()[0];
  ApiRequest request;
  request.method = HttpMethod::kPut;
  request.path = {"v1", "people", login};
  request.body =
      ObjectBuilder().text("team", args.text("team")).raw("crm_accounts", accounts).done();
  return change(context, std::move(request), printable(login) + " updated");
}

int devicesAssign(Context& context, const Invocation& invocation) {
  if (!invocation.args.has("brand")) return usage(context, invocation, "--brand is required");
  const std::string device = invocation.args.positionals()[0];
  ApiRequest request;
  request.method = HttpMethod::kPut;
  request.path = {"v1", "devices", device};
  request.body = ObjectBuilder().text("brand", invocation.args.text("brand")).done();
  return change(
      context, std::move(request),
      "device " + printable(device) + " assigned to " + printable(invocation.args.text("brand")));
}

int retentionShow(Context& context, const Invocation& invocation) {
  return listItems(context, invocation, {"v1", "retention"}, "no retention classes");
}

int retentionSet(Context& context, const Invocation& invocation) {
  const std::string& cls = invocation.args.positionals()[0];
  const std::string& days_text = invocation.args.positionals()[1];
  uint64_t days = 0;
  const auto [end, ec] =
      std::from_chars(days_text.data(), days_text.data() + days_text.size(), days);
  if (days_text.empty() || ec != std::errc() || end != days_text.data() + days_text.size()) {
    return usage(context, invocation, "DAYS must be a whole number, got '" + days_text + "'");
  }
  ObjectBuilder body;
  body.number("days", days);
  if (invocation.args.has("justification")) {
    body.text("justification", invocation.args.text("justification"));
  }
  ApiRequest request;
  request.method = HttpMethod::kPut;
  request.path = {"v1", "retention", cls};
  request.body = body.done();
  return change(context, std::move(request),
                printable(cls) + " kept " + std::to_string(days) + " days");
}

int retentionPurge(Context& context, const Invocation&) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "retention", "purge"};
  auto answer = callForObject(*connection->client, request);
  if (!answer.isOk()) return fail(context, answer.status());
  const json::Value* purged = answer->find("purged");
  if (purged != nullptr && purged->kind == json::Value::Kind::kObject) {
    for (const auto& member : purged->object) {
      context.out << "purged " << printable(member.first) << ": "
                  << printable(cellText(member.second)) << '\n';
    }
  }
  const json::Value* held = answer->find("held");
  context.out << "kept under legal hold: " << printable(held == nullptr ? "0" : cellText(*held))
              << '\n';
  return kExitOk;
}

int holdsList(Context& context, const Invocation& invocation) {
  return listItems(context, invocation, {"v1", "holds"}, "no legal holds");
}

int holdsAdd(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  if (!args.has("case")) return usage(context, invocation, "--case is required");
  if (!args.has("reason")) return usage(context, invocation, "--reason is required");
  ObjectBuilder body;
  body.text("case", args.text("case")).text("reason", args.text("reason"));
  if (args.has("brand")) body.text("brand", args.text("brand"));
  if (args.has("user")) body.text("user", args.text("user"));
  if (args.has("record")) body.text("record_id", args.text("record"));
  auto period = periodOptions(args);
  if (!period.isOk()) return usage(context, invocation, period.status().message());
  for (const auto& [option, time] : *period) body.text(option, time);
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "holds"};
  request.body = body.done();
  auto answer = callForObject(*connection->client, request);
  if (!answer.isOk()) return fail(context, answer.status());
  const json::Value* id = answer->find("id");
  context.out << "legal hold " << printable(id == nullptr ? "?" : cellText(*id)) << " placed\n";
  return kExitOk;
}

int holdsRelease(Context& context, const Invocation& invocation) {
  const std::string id = invocation.args.positionals()[0];
  ApiRequest request;
  request.method = HttpMethod::kDelete;
  request.path = {"v1", "holds", id};
  return change(context, std::move(request), "legal hold " + printable(id) + " released");
}

int brandExport(Context& context, const Invocation& invocation) {
  if (!invocation.args.has("out")) return usage(context, invocation, "--out is required");
  const std::string brand = invocation.args.positionals()[0];
  const std::string out = invocation.args.text("out");
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.path = {"v1", "brands", brand, "export"};
  request.download_to = out;
  auto response = connection->client->send(request);
  if (!response.isOk()) return fail(context, response.status());
  if (response->status < 200 || response->status >= 300) {
    return fail(context, answerError(*response));
  }
  context.out << "brand " << printable(brand) << " exported to " << out << " (NDJSON)\n";
  return kExitOk;
}

int brandDelete(Context& context, const Invocation& invocation) {
  const std::string brand = invocation.args.positionals()[0];
  if (invocation.args.text("confirm") != brand) {
    return usage(
        context, invocation,
        "deleting a brand's data cannot be undone: repeat its name with --confirm " + brand);
  }
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.method = HttpMethod::kDelete;
  request.path = {"v1", "brands", brand};
  request.body = ObjectBuilder().text("confirm", brand).done();
  auto answer = callForObject(*connection->client, request);
  if (!answer.isOk()) return fail(context, answer.status());
  const json::Value* deleted = answer->find("deleted");
  const json::Value* held = answer->find("held");
  context.out << "brand " << printable(brand) << ": "
              << printable(deleted == nullptr ? "?" : cellText(*deleted)) << " deleted, "
              << printable(held == nullptr ? "?" : cellText(*held)) << " kept under legal hold\n";
  return kExitOk;
}

const std::string_view kJsonOption = "Options:\n  --json  one JSON item per line\n";

}  // namespace

std::vector<Command> adminCommands() {
  return {
      {"accounts list",
       "[--json]",
       "the API accounts (admin)",
       kJsonOption,
       {{"json", false}},
       0,
       0,
       accountsList},
      {"accounts add",
       "NAME --role R [--brand B]",
       "create an API account (admin)",
       "Options:\n"
       "  --role R              admin, auditor, dpo, fleet or integration\n"
       "  --brand B             bind the account to one client brand (integration: required)\n"
       "  --password-file FILE  read the password from FILE's first line\n\n"
       "The password (12 characters or more) is read from standard input when it is not a\n"
       "terminal, else asked for twice without echo.",
       {{"role", true}, {"brand", true}, {"password-file", true}},
       1,
       1,
       accountsAdd},
      {"accounts remove",
       "NAME",
       "delete an API account and end its sessions (admin)",
       "",
       {},
       1,
       1,
       accountsRemove},
      {"people set",
       "LOGIN --team T [--crm-account BRAND:USER ...]",
       "a person's team and CRM user names (admin)",
       "Options:\n"
       "  --team T                 the person's team\n"
       "  --crm-account BRAND:USER  the person's user name in that brand's CRM (repeatable);\n"
       "                           the list replaces the previous one\n",
       {{"team", true}, {"crm-account", true, true}},
       1,
       1,
       peopleSet},
      {"devices assign",
       "ID --brand B",
       "assign a workstation to a client brand (admin, fleet)",
       "Options:\n  --brand B  the brand its events belong to from now on\n",
       {{"brand", true}},
       1,
       1,
       devicesAssign},
      {"retention show",
       "[--json]",
       "how long each class of data is kept (admin, DPO)",
       kJsonOption,
       {{"json", false}},
       0,
       0,
       retentionShow},
      {"retention set",
       "CLASS DAYS [--justification TEXT]",
       "keep a class (access, exports, crm, sessions, agent) DAYS days (admin, DPO)",
       "183-365 days may be set freely; up to 1825 only with a justification, which is kept and\n"
       "written to the audit trail.\n\n"
       "Options:\n  --justification TEXT  why longer than a year (20-1000 characters)\n",
       {{"justification", true}},
       2,
       2,
       retentionSet},
      {"retention purge",
       "",
       "delete what is past its retention now (admin, DPO)",
       "",
       {},
       0,
       0,
       retentionPurge},
      {"holds list",
       "[--json]",
       "legal holds, active and released (DPO)",
       kJsonOption,
       {{"json", false}},
       0,
       0,
       holdsList},
      {"holds add",
       "--case NAME --reason TEXT [--brand B --user U --record ID --from T --to T]",
       "keep matching data from any purge (DPO)",
       "Options:\n"
       "  --case NAME       the case the hold is for\n"
       "  --reason TEXT     why\n"
       "  --brand B         only this brand's data\n"
       "  --user U          only this person (login or pseudonym)\n"
       "  --record ID       only this CRM record\n"
       "  --from T, --to T  only this period (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.mmmZ, UTC)\n",
       {{"case", true},
        {"reason", true},
        {"brand", true},
        {"user", true},
        {"record", true},
        {"from", true},
        {"to", true}},
       0,
       0,
       holdsAdd},
      {"holds release",
       "ID",
       "release a legal hold (it stays in the list) (DPO)",
       "",
       {},
       1,
       1,
       holdsRelease},
      {"brand export",
       "BRAND --out FILE",
       "every stored event and CRM record of a brand, as NDJSON (DPO)",
       "Options:\n  --out FILE  where to write it (mode 0600; written only once complete)\n",
       {{"out", true}},
       1,
       1,
       brandExport},
      {"brand delete",
       "BRAND --confirm BRAND",
       "delete every event and CRM record of a brand, except what is held (DPO)",
       "Options:\n  --confirm BRAND  the brand's name again: this cannot be undone\n",
       {{"confirm", true}},
       1,
       1,
       brandDelete},
  };
}

}  // namespace vigie::ctl
