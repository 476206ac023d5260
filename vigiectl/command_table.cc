#include <algorithm>

#include "api_calls.h"
#include "commands.h"
#include "item_format.h"
#include "vigie/version.h"

namespace vigie::ctl {
namespace {

constexpr std::string_view kExitCodes =
    "Exit status: 0 on success, 1 on an error (the message says which, in the collector's own\n"
    "words when it refused), 2 on bad usage.";

const std::vector<Command>& allCommands() {
  static const std::vector<Command> commands = [] {
    std::vector<Command> all;
    for (auto family :
         {sessionCommands, queryCommands, revealCommands, trailCommands, importCommands,
          adminCommands, fleetCommands, detectionCommands, policyCommands}) {
      for (auto& command : family()) all.push_back(std::move(command));
    }
    return all;
  }();
  return commands;
}

std::string usageLine(const Command& command) {
  std::string line = "vigiectl " + std::string(command.name);
  if (!command.synopsis.empty()) line += " " + std::string(command.synopsis);
  return line;
}

void printOverview(std::ostream& out, std::string_view family) {
  if (family.empty()) {
    out << "vigiectl — the audit and administration client of a Vigie collector's audit API.\n\n"
           "Log in once, then ask. The session is kept in $VIGIECTL_CONFIG, else\n"
           "$XDG_CONFIG_HOME/vigie/vigiectl.json, else ~/.config/vigie/vigiectl.json (mode 0600).\n"
           "\nCommands:\n";
  } else {
    out << "vigiectl " << family << " commands:\n";
  }
  for (const auto& command : allCommands()) {
    if (!family.empty() && command.name.substr(0, family.size() + 1) != std::string(family) + " ") {
      continue;
    }
    out << "  " << usageLine(command) << "\n      " << command.summary << '\n';
  }
  out << "\n'vigiectl COMMAND --help' tells more about a command.\n" << kExitCodes << '\n';
}

void printHelp(std::ostream& out, const Command& command) {
  out << "Usage: " << usageLine(command) << "\n\n" << command.summary << '\n';
  std::string_view details = command.details;
  while (!details.empty() && details.back() == '\n') details.remove_suffix(1);
  if (!details.empty()) out << '\n' << details << '\n';
  out << '\n' << kExitCodes << '\n';
}

bool asksForHelp(const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

}  // namespace

int fail(Context& context, const Status& status) {
  // The message may quote the collector, whose text must not drive the terminal.
  context.err << "vigiectl: " << printable(status.message()) << '\n';
  return kExitError;
}

int usage(Context& context, const Invocation& invocation, std::string_view message) {
  context.err << "vigiectl " << invocation.command.name << ": " << message << "\nTry 'vigiectl "
              << invocation.command.name << " --help'.\n";
  return kExitUsage;
}

StatusOr<Connection> connectSaved(Context& context) {
  auto path = sessionPath(context.environment);
  if (!path.isOk()) return path.status();
  auto session = loadSession(*path);
  if (!session.isOk()) {
    if (session.status().code() == Status::Code::kNotFound) {
      return Status::failedPrecondition(
          "log in first: vigiectl login --url https://HOST:PORT --ca FILE --user NAME");
    }
    return session.status();
  }
  ApiSettings settings;
  settings.base_url = session->url;
  settings.ca_file = session->ca_file;
  settings.token = session->token;
  auto client = context.connect(settings);
  if (!client.isOk()) return client.status();
  return Connection{std::move(session.value()), std::move(client.value())};
}

StatusOr<protocol::json::Value> callSaved(Context& context, const ApiRequest& request) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return connection.status();
  return callForObject(*connection->client, request);
}

int listItems(Context& context, const Invocation& invocation, ApiRequest request,
              std::string_view nothing) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  auto answer = callForObject(*connection->client, request);
  if (!answer.isOk()) return fail(context, answer.status());
  auto page = parsePage(*answer);
  if (!page.isOk()) return fail(context, page.status());
  if (invocation.args.has("json")) {
    for (const auto& item : page->items) context.out << toJson(item) << '\n';
  } else if (page->items.empty()) {
    context.err << nothing << '\n';
  } else {
    printObjectsTable(context.out, page->items);
  }
  return kExitOk;
}

int listItems(Context& context, const Invocation& invocation, std::vector<std::string> path,
              std::string_view nothing) {
  ApiRequest request;
  request.path = std::move(path);
  return listItems(context, invocation, std::move(request), nothing);
}

int showItem(Context& context, const Invocation& invocation, std::vector<std::string> path,
             std::string_view list_key, std::string_view title, std::string_view none) {
  ApiRequest request;
  request.path = std::move(path);
  auto item = callSaved(context, request);
  if (!item.isOk()) return fail(context, item.status());
  if (invocation.args.has("json")) {
    context.out << toJson(*item) << '\n';
  } else {
    printObjectAndList(context.out, *item, list_key, title, none);
  }
  return kExitOk;
}

int change(Context& context, ApiRequest request, const std::string& done) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  const Status status = callForNothing(*connection->client, request);
  if (!status.isOk()) return fail(context, status);
  context.out << done << '\n';
  return kExitOk;
}

int runVigiectl(Context& context, const std::vector<std::string>& args) {
  if (args.empty()) {
    printOverview(context.err, "");
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printOverview(context.out, "");
    return kExitOk;
  }
  if (args[0] == "--version") {
    context.out << "vigiectl " << kVersion << '\n';
    return kExitOk;
  }
  // The longest name that matches: "reveal approve" before "reveal".
  const Command* found = nullptr;
  size_t consumed = 0;
  for (const auto& command : allCommands()) {
    if (args.size() >= 2 && command.name == args[0] + " " + args[1]) {
      found = &command;
      consumed = 2;
      break;
    }
    if (command.name == args[0]) {
      found = &command;
      consumed = 1;
    }
  }
  if (found == nullptr) {
    const bool family = std::any_of(allCommands().begin(), allCommands().end(), [&](const auto& c) {
      return c.name.substr(0, args[0].size() + 1) == args[0] + " ";
    });
    if (family && (args.size() == 1 || asksForHelp(args))) {
      printOverview(asksForHelp(args) ? context.out : context.err, args[0]);
      return asksForHelp(args) ? kExitOk : kExitUsage;
    }
    context.err << "vigiectl: unknown command '" << args[0]
                << (family && args.size() > 1 ? " " + args[1] : "")
                << "'\nTry 'vigiectl --help'.\n";
    return kExitUsage;
  }
  const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(consumed),
                                      args.end());
  if (asksForHelp(rest)) {
    printHelp(context.out, *found);
    return kExitOk;
  }
  auto parsed = ParsedArgs::parse(rest, found->options);
  if (!parsed.isOk()) {
    return usage(context, Invocation{*found, ParsedArgs()}, parsed.status().message());
  }
  Invocation invocation{*found, std::move(parsed.value())};
  const size_t count = invocation.args.positionals().size();
  if (count < found->min_positionals) {
    return usage(context, invocation, "missing argument: " + usageLine(*found));
  }
  if (count > found->max_positionals) {
    return usage(
        context, invocation,
        "unexpected argument '" + invocation.args.positionals()[found->max_positionals] + "'");
  }
  return found->run(context, invocation);
}

}  // namespace vigie::ctl
