// login, logout, whoami: the session kept between commands.
#include <unistd.h>

#include <filesystem>

#include "api_calls.h"
#include "commands.h"
#include "password_input.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

std::string stringOf(const json::Value& object, std::string_view key) {
  const json::Value* value = object.find(key);
  return value != nullptr && value->kind == json::Value::Kind::kString ? value->string : "";
}

std::string describe(const std::string& user, const std::string& role, const std::string& brand) {
  return user + " (" + (role.empty() ? "no role" : role) +
         (brand.empty() ? ", every brand" : ", brand " + brand) + ")";
}

int login(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  for (const char* required : {"url", "ca", "user"}) {
    if (!args.has(required)) {
      return usage(context, invocation, std::string("--") + required + " is required");
    }
  }
  auto url = normalizeBaseUrl(args.text("url"));
  if (!url.isOk()) return usage(context, invocation, url.status().message());
  // The session outlives the current directory: keep the CA's absolute path.
  std::error_code error;
  const std::string ca_file = std::filesystem::absolute(args.text("ca"), error).lexically_normal();
  if (error || ::access(ca_file.c_str(), R_OK) != 0) {
    return fail(context, Status::notFound("cannot read the CA file " + args.text("ca")));
  }
  const std::string user = args.text("user");
  auto password =
      readPassword(args.text("password-file"), "Password for " + user + ": ", /*confirm=*/false);
  if (!password.isOk()) return fail(context, password.status());

  ApiSettings settings;
  settings.base_url = *url;
  settings.ca_file = ca_file;
  auto client = context.connect(settings);
  if (!client.isOk()) return fail(context, client.status());
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "auth", "login"};
  request.body = "{\"user\":";
  json::appendString(request.body, user);
  request.body += ",\"password\":";
  json::appendString(request.body, *password);
  request.body += "}";
  auto response = (*client)->send(request);
  if (!response.isOk()) return fail(context, response.status());
  if (response->status == 401) {
    // Not answerError(): "log in again" is no advice for a failed login.
    return fail(context, Status::permissionDenied("login refused: " + serverMessage(*response)));
  }
  if (response->status < 200 || response->status >= 300) {
    return fail(context, answerError(*response).withContext("login refused"));
  }
  auto answer = json::parse(response->body);
  if (!answer.isOk() || answer->kind != json::Value::Kind::kObject) {
    return fail(context, Status::corruption("the collector's login answer is not a JSON object"));
  }

  Session session;
  session.url = *url;
  session.ca_file = ca_file;
  session.token = stringOf(*answer, "token");
  session.user = stringOf(*answer, "user");
  session.role = stringOf(*answer, "role");
  session.brand = stringOf(*answer, "brand");
  session.expires = stringOf(*answer, "expires");
  if (session.token.empty()) {
    return fail(context, Status::corruption("the collector's login answer has no token"));
  }
  if (session.user.empty()) session.user = user;
  auto path = sessionPath(context.environment);
  if (!path.isOk()) return fail(context, path.status());
  const Status saved = saveSession(*path, session);
  if (!saved.isOk()) return fail(context, saved);
  context.out << "logged in as " << describe(session.user, session.role, session.brand) << " on "
              << session.url;
  if (!session.expires.empty()) context.out << " until " << session.expires;
  context.out << '\n';
  return kExitOk;
}

int logout(Context& context, const Invocation&) {
  auto path = sessionPath(context.environment);
  if (!path.isOk()) return fail(context, path.status());
  auto connection = connectSaved(context);
  if (!connection.isOk()) {
    if (connection.status().code() == Status::Code::kFailedPrecondition) {
      context.out << "not logged in\n";
      return kExitOk;
    }
    return fail(context, connection.status());
  }
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "auth", "logout"};
  const Status ended = callForNothing(*connection->client, request);
  // The local session goes in any case: a token the server no longer knows is useless.
  const Status removed = removeSession(*path);
  if (!removed.isOk()) return fail(context, removed);
  if (!ended.isOk()) {
    return fail(context, ended.withContext("session file removed, but the collector did not end "
                                           "the token"));
  }
  context.out << "logged out " << connection->session.user << '\n';
  return kExitOk;
}

int whoami(Context& context, const Invocation&) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.path = {"v1", "auth", "me"};
  auto answer = callForObject(*connection->client, request);
  if (!answer.isOk()) return fail(context, answer.status());
  context.out << describe(stringOf(*answer, "user"), stringOf(*answer, "role"),
                          stringOf(*answer, "brand"))
              << " on " << connection->session.url;
  if (!connection->session.expires.empty()) {
    context.out << " until " << connection->session.expires;
  }
  context.out << '\n';
  return kExitOk;
}

}  // namespace

std::vector<Command> sessionCommands() {
  return {
      {"login",
       "--url https://HOST:PORT --ca FILE --user NAME",
       "log in to a collector and keep the session",
       "Options:\n"
       "  --url URL             the collector, https://HOST:PORT (the agents' port)\n"
       "  --ca FILE             the collector CA (ca.pem from its data directory): the only\n"
       "                        certificate authority trusted for this connection\n"
       "  --user NAME           the account\n"
       "  --password-file FILE  read the password from FILE's first line\n\n"
       "Without --password-file the password is read from standard input when it is not a\n"
       "terminal, else asked for without echo. The session file keeps the URL, the CA path,\n"
       "the token (valid 8 hours) and the account, never the password.",
       {{"url", true}, {"ca", true}, {"user", true}, {"password-file", true}},
       0,
       0,
       login},
      {"logout",
       "",
       "end the session on the collector and remove the session file",
       "",
       {},
       0,
       0,
       logout},
      {"whoami", "", "show the account, role and brand of the session", "", {}, 0, 0, whoami},
  };
}

}  // namespace vigie::ctl
