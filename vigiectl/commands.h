#pragma once

// vigiectl's commands: a table of what each is called, what it takes and how it runs, and the
// helpers they share. One file per family of commands (session, questions, reveals, trail, CRM
// import, administration); command_table.cc dispatches and prints help.

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "api_client.h"
#include "command_line.h"
#include "ctl_config.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::ctl {

enum ExitCode : int { kExitOk = 0, kExitError = 1, kExitUsage = 2 };

struct Context {
  std::ostream& out;
  std::ostream& err;
  ConfigEnvironment environment;
  // Makes the HTTPS client; tests may put a fake here.
  std::function<StatusOr<ApiClientPtr>(const ApiSettings&)> connect = newCurlApiClient;
};

struct Command;

struct Invocation {
  const Command& command;
  ParsedArgs args;
};

struct Command {
  std::string_view name;      // "reveal approve"
  std::string_view synopsis;  // what follows the name in the usage line
  std::string_view summary;   // one line, for `vigiectl --help`
  std::string_view details;   // the options and anything else `--help` should say
  std::vector<OptionSpec> options;
  size_t min_positionals = 0;
  size_t max_positionals = 0;
  int (*run)(Context& context, const Invocation& invocation) = nullptr;
};

std::vector<Command> sessionCommands();
std::vector<Command> queryCommands();
std::vector<Command> revealCommands();
std::vector<Command> trailCommands();
std::vector<Command> importCommands();
std::vector<Command> adminCommands();
std::vector<Command> detectionCommands();
std::vector<Command> fleetCommands();
std::vector<Command> policyCommands();

// Runs `vigiectl ARGS...` (without the program name); returns the exit code.
int runVigiectl(Context& context, const std::vector<std::string>& args);

// "vigiectl: MESSAGE" on standard error; returns kExitError.
int fail(Context& context, const Status& status);
// "vigiectl NAME: MESSAGE" and where to find help; returns kExitUsage.
int usage(Context& context, const Invocation& invocation, std::string_view message);

// The saved session and a client for it.
struct Connection {
  Session session;
  ApiClientPtr client;
};
// Fails with "log in first" when there is no session.
StatusOr<Connection> connectSaved(Context& context);

// Runs one call whose answer is {"items": [...]}, printed as a table of their keys, or as JSON
// lines with --json; says `nothing` on standard error when the list is empty.
int listItems(Context& context, const Invocation& invocation, ApiRequest request,
              std::string_view nothing);
int listItems(Context& context, const Invocation& invocation, std::vector<std::string> path,
              std::string_view nothing);

// Sends `request` on the saved session; a 2xx answer must be a JSON object, which is returned.
StatusOr<protocol::json::Value> callSaved(Context& context, const ApiRequest& request);

// Runs one GET of one object: printed as "key: value" lines then its list at `list_key` as a
// table under `title` ("  (NONE)" when empty), or as the API's JSON with --json.
int showItem(Context& context, const Invocation& invocation, std::vector<std::string> path,
             std::string_view list_key, std::string_view title, std::string_view none);

// Runs one call answered by 204 (or any 2xx whose body does not matter) and says `done`.
int change(Context& context, ApiRequest request, const std::string& done);

}  // namespace vigie::ctl
