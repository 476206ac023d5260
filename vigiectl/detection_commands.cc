// Detection: the calls and shifts feeds, the watch-list, alerts and their life cycle, the rules'
// policy and retrospective runs (docs/vigiectl.md, the /v1/calls ... /v1/detection routes).
#include <chrono>
#include <thread>

#include "api_calls.h"
#include "commands.h"
#include "detection_files.h"
#include "item_format.h"
#include "line_upload.h"
#include "object_builder.h"
#include "time_option.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

constexpr size_t kMaxFeedFile = size_t{1} << 30;
// The collector takes at most 1000 calls per request, and one request of shifts (a person's
// shifts replace theirs as a whole, so they must not be split across requests).
constexpr size_t kCallsPerRequest = 1000;
constexpr size_t kMaxShifts = 10000;
constexpr size_t kShiftsBytes = 4u << 20;
constexpr size_t kAlertsPage = 500;
constexpr auto kRunPoll = std::chrono::milliseconds(500);

// Reads and converts FILE; a bad row refuses it before anything is sent.
int importFeed(Context& context, const Invocation& invocation,
               StatusOr<std::vector<NumberedLine>> (*parse)(std::string_view),
               std::vector<std::string> route, std::string_view noun, size_t per_request,
               size_t max_bytes) {
  const std::string path = invocation.args.positionals()[0];
  auto text = platform::readSmallFile(path, kMaxFeedFile);
  if (!text.isOk()) return fail(context, text.status());
  auto lines = parse(*text);
  if (!lines.isOk()) return fail(context, lines.status().withContext(path + ": nothing sent"));
  if (lines->empty()) {
    context.err << path << ": no " << noun << '\n';
    return kExitOk;
  }
  auto chunks = chunkLines(*lines, per_request, max_bytes);
  LineUpload upload;
  upload.file = path;
  upload.route = std::move(route);
  upload.noun = noun;
  upload.lines = lines->size();
  upload.progress = invocation.args.has("progress");
  return uploadLines(context, upload, chunks);
}

int callsImport(Context& context, const Invocation& invocation) {
  return importFeed(context, invocation, parseCallsCsv, {"v1", "calls"}, "calls", kCallsPerRequest,
                    size_t{1} << 20);
}

int shiftsImport(Context& context, const Invocation& invocation) {
  return importFeed(context, invocation, parseShiftsCsv, {"v1", "shifts"}, "shifts", kMaxShifts,
                    kShiftsBytes);
}

int shiftsList(Context& context, const Invocation& invocation) {
  return listItems(context, invocation, {"v1", "shifts"}, "no shifts");
}

void addBrand(const Invocation& invocation, ApiRequest& request) {
  if (invocation.args.has("brand")) {
    request.query.emplace_back("brand", invocation.args.text("brand"));
  }
}

int watchlistList(Context& context, const Invocation& invocation) {
  ApiRequest request;
  request.path = {"v1", "watchlist"};
  addBrand(invocation, request);
  return listItems(context, invocation, std::move(request), "no watched records");
}

int watchlistAdd(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  const std::string kind = args.text("kind");
  if (kind != "vip" && kind != "colleague") {
    return usage(context, invocation, "--kind must be vip or colleague");
  }
  if (kind == "colleague" && !args.has("login")) {
    return usage(context, invocation, "a colleague's record needs --login (whose record it is)");
  }
  if (args.text("reason").empty()) return usage(context, invocation, "--reason is required");
  const std::string record = args.positionals()[0];
  ObjectBuilder body;
  body.text("kind", kind);
  if (args.has("login")) body.text("login", args.text("login"));
  body.text("reason", args.text("reason"));
  ApiRequest request;
  request.method = HttpMethod::kPut;
  request.path = {"v1", "watchlist", record};
  request.body = body.done();
  addBrand(invocation, request);
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  auto answer = callForObject(*connection->client, request);
  if (!answer.isOk()) return fail(context, answer.status());
  printObject(context.out, *answer);
  return kExitOk;
}

int watchlistRemove(Context& context, const Invocation& invocation) {
  const std::string record = invocation.args.positionals()[0];
  ApiRequest request;
  request.method = HttpMethod::kDelete;
  request.path = {"v1", "watchlist", record};
  addBrand(invocation, request);
  return change(context, std::move(request), printable(record) + " removed from the watch-list");
}

std::string text(const json::Value& object, std::string_view key) {
  const json::Value* value = object.find(key);
  return value == nullptr ? "" : cellText(*value);
}

std::vector<std::string> alertRow(const json::Value& alert) {
  return {text(alert, "id"),     text(alert, "time"),   text(alert, "severity"),
          text(alert, "rule"),   text(alert, "status"), text(alert, "person"),
          text(alert, "summary")};
}

int alertsList(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  ApiRequest request;
  request.path = {"v1", "alerts"};
  for (const char* option : {"status", "rule", "person"}) {
    if (args.has(option)) request.query.emplace_back(option, args.text(option));
  }
  auto period = periodOptions(args);
  if (!period.isOk()) return usage(context, invocation, period.status().message());
  for (const auto& [option, time] : *period) request.query.emplace_back(option, time);
  addBrand(invocation, request);
  auto limit = args.number("limit", 0, 1, 1'000'000);
  if (!limit.isOk()) return usage(context, invocation, limit.status().message());
  const uint64_t wanted = *limit;  // 0: every alert
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());

  // Newest first, page by page: each answer's next_before is the "before" of the next request.
  const size_t base = request.query.size();
  std::vector<json::Value> alerts;
  bool more = false;
  for (std::string before;;) {
    const uint64_t left = wanted == 0 ? kAlertsPage : wanted - alerts.size();
    request.query.resize(base);
    request.query.emplace_back("limit", std::to_string(std::min<uint64_t>(left, kAlertsPage)));
    if (!before.empty()) request.query.emplace_back("before", before);
    auto answer = callForObject(*connection->client, request);
    if (!answer.isOk()) return fail(context, answer.status());
    auto page = parsePage(*answer);
    if (!page.isOk()) return fail(context, page.status());
    for (auto& alert : page->items) alerts.push_back(std::move(alert));
    const json::Value* next = answer->find("next_before");
    const bool has_next = next != nullptr && next->kind == json::Value::Kind::kInteger;
    if (!has_next || page->items.empty()) break;
    const std::string cursor = std::to_string(next->magnitude);
    if (cursor == before) return fail(context, Status::corruption("the same page came twice"));
    if (wanted != 0 && alerts.size() >= wanted) {
      more = true;
      break;
    }
    before = cursor;
  }
  if (args.has("json")) {
    for (const auto& alert : alerts) context.out << toJson(alert) << '\n';
  } else if (alerts.empty()) {
    context.err << "no alerts\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& alert : alerts) rows.push_back(alertRow(alert));
    printTable(context.out, {"id", "time", "severity", "rule", "status", "person", "summary"},
               rows);
  }
  if (more) context.err << "there may be more alerts: raise --limit\n";
  return kExitOk;
}

int alertsShow(Context& context, const Invocation& invocation) {
  return showItem(context, invocation, {"v1", "alerts", invocation.args.positionals()[0]},
                  "evidence", "evidence", "none kept");
}

int alertsAck(Context& context, const Invocation& invocation) {
  const std::string id = invocation.args.positionals()[0];
  ObjectBuilder body;
  if (invocation.args.has("comment")) body.text("comment", invocation.args.text("comment"));
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "alerts", id, "acknowledge"};
  request.body = body.done();
  auto alert = callSaved(context, std::move(request));
  if (!alert.isOk()) return fail(context, alert.status());
  context.out << "alert " << printable(id) << ": " << printable(text(*alert, "status")) << '\n';
  return kExitOk;
}

int alertsClose(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  const std::string verdict = args.text("verdict");
  if (verdict != "true_positive" && verdict != "false_positive") {
    return usage(context, invocation, "--verdict must be true_positive or false_positive");
  }
  if (args.text("comment").empty()) return usage(context, invocation, "--comment is required");
  const std::string id = args.positionals()[0];
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "alerts", id, "close"};
  request.body =
      ObjectBuilder().text("verdict", verdict).text("comment", args.text("comment")).done();
  auto alert = callSaved(context, std::move(request));
  if (!alert.isOk()) return fail(context, alert.status());
  context.out << "alert " << printable(id) << ": " << printable(text(*alert, "status")) << " ("
              << printable(text(*alert, "verdict")) << ")\n";
  return kExitOk;
}

int detectPolicy(Context& context, const Invocation& invocation) {
  ApiRequest request;
  request.path = {"v1", "detection", "policy"};
  auto policy = callSaved(context, std::move(request));
  if (!policy.isOk()) return fail(context, policy.status());
  if (invocation.args.has("json")) {
    context.out << toJson(*policy) << '\n';
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [rule, settings] : policy->object) rows.push_back({rule, cellText(settings)});
  printTable(context.out, {"rule", "settings"}, rows);
  return kExitOk;
}

std::string runLine(const json::Value& run) {
  std::string line = "run " + text(run, "id") + ": " + text(run, "state") + ", " +
                     text(run, "events") + " events, " + text(run, "alerts") + " alerts (" +
                     text(run, "from") + " to " + text(run, "to") + ")";
  const std::string error = text(run, "error");
  if (!error.empty()) line += ": " + error;
  return printable(line);
}

int detectRun(Context& context, const Invocation& invocation) {
  const ParsedArgs& args = invocation.args;
  if (args.has("days") && args.has("from")) {
    return usage(context, invocation, "give --days or --from, not both");
  }
  ObjectBuilder body;
  if (args.has("rule")) body.texts("rules", args.all("rule"));
  auto days = args.number("days", 0, 1, 366);
  if (!days.isOk()) return usage(context, invocation, days.status().message());
  if (args.has("days")) body.number("days", *days);
  auto period = periodOptions(args);
  if (!period.isOk()) return usage(context, invocation, period.status().message());
  for (const auto& [option, time] : *period) body.text(option, time);
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.method = HttpMethod::kPost;
  request.path = {"v1", "detection", "runs"};
  request.body = body.done();
  auto run = callForObject(*connection->client, request);
  if (!run.isOk()) return fail(context, run.status());
  if (!args.has("wait")) {
    context.out << runLine(*run) << '\n';
    return kExitOk;
  }
  const std::string id = text(*run, "id");
  ApiRequest poll;
  poll.path = {"v1", "detection", "runs", id};
  while (text(*run, "state") != "done" && text(*run, "state") != "failed") {
    std::this_thread::sleep_for(kRunPoll);
    run = callForObject(*connection->client, poll);
    if (!run.isOk()) return fail(context, run.status());
  }
  context.out << runLine(*run) << '\n';
  return text(*run, "state") == "done" ? kExitOk : kExitError;
}

int detectRuns(Context& context, const Invocation& invocation) {
  return listItems(context, invocation, {"v1", "detection", "runs"}, "no runs");
}

constexpr std::string_view kJsonOption = "  --json            one JSON object per line\n";

}  // namespace

std::vector<Command> detectionCommands() {
  static const std::string list_help = std::string("Options:\n") + std::string(kJsonOption);
  static const std::string watchlist_list_help =
      "Options:\n"
      "  --brand B         one client brand (accounts bound to a brand see only theirs)\n" +
      std::string(kJsonOption);
  static const std::string alerts_help =
      "People appear as pseudonyms. Every page is followed.\n\n"
      "Options:\n"
      "  --status S        open, acknowledged or closed\n"
      "  --rule R          one rule (vigiectl detect policy lists them)\n"
      "  --person P        one person's pseudonym (p-...)\n"
      "  --from T, --to T  when the alerts happened, YYYY-MM-DD (midnight UTC) or\n"
      "                    YYYY-MM-DDTHH:MM:SS.mmmZ\n"
      "  --limit N         at most N alerts (default: all)\n"
      "  --brand B         one client brand\n" +
      std::string(kJsonOption);
  return {
      {"calls import",
       "FILE.csv",
       "send calls, tickets and callbacks from the telephony system (integration account)",
       "FILE.csv has the header id,kind,agent,start,end,record_id,campaign (kind, record_id and\n"
       "campaign may be left out): id the telephony system's own, kind call (the default), ticket\n"
       "or callback, agent a login, start and end YYYY-MM-DDTHH:MM:SS.mmmZ (UTC, at most 24\n"
       "hours apart), record_id the customer record the call was about. Identifiers only: no\n"
       "phone numbers. Every row is checked before anything is sent; a bad row refuses the file,\n"
       "naming its line. Calls go in requests of at most 1000 lines; a call the collector\n"
       "already has counts as a duplicate, so an interrupted import can simply be run again.\n\n"
       "Options:\n"
       "  --progress        show progress on standard error even when it is not a terminal\n",
       {{"progress", false}},
       1,
       1,
       callsImport},
      {"shifts import",
       "FILE.csv",
       "set working hours (administrator)",
       "FILE.csv has the header who,days,start,end: who a login, or team:NAME for everyone in a\n"
       "team without shifts of their own; days like mon-fri, mon,wed,sat or sun; start and end\n"
       "HH:MM in the collector's local time (an end before the start ends the next day). The\n"
       "shifts of everyone named in the file replace theirs; others keep theirs. The file is\n"
       "checked, then sent in one request.\n",
       {{"progress", false}},
       1,
       1,
       shiftsImport},
      {"shifts list",
       "[--json]",
       "the working hours known to the collector",
       list_help,
       {{"json", false}},
       0,
       0,
       shiftsList},
      {"watchlist list",
       "[--brand B] [--json]",
       "the records watched more closely",
       watchlist_list_help,
       {{"brand", true}, {"json", false}},
       0,
       0,
       watchlistList},
      {"watchlist add",
       "RECORD --kind vip|colleague [--login L] --reason TEXT [--brand B]",
       "watch a customer record (DPO or administrator)",
       "A colleague's record (kind colleague, --login naming whose it is) raises an alert at\n"
       "every access; a VIP's when no call justifies the access. Adding a record already on the\n"
       "list replaces its entry.\n\n"
       "Options:\n"
       "  --kind vip|colleague\n"
       "  --login L         the colleague whose record it is (required for colleague)\n"
       "  --reason TEXT     why the record is watched (required)\n"
       "  --brand B         the record's client brand\n",
       {{"kind", true}, {"login", true}, {"reason", true}, {"brand", true}},
       1,
       1,
       watchlistAdd},
      {"watchlist remove",
       "RECORD [--brand B]",
       "stop watching a record (DPO or administrator)",
       "Options:\n"
       "  --brand B         the record's client brand\n",
       {{"brand", true}},
       1,
       1,
       watchlistRemove},
      {"alerts list",
       "[OPTIONS]",
       "alerts raised by the detection rules, newest first",
       alerts_help,
       {{"status", true},
        {"rule", true},
        {"person", true},
        {"from", true},
        {"to", true},
        {"limit", true},
        {"brand", true},
        {"json", false}},
       0,
       0,
       alertsList},
      {"alerts show",
       "ID [--json]",
       "one alert, with its evidence",
       list_help,
       {{"json", false}},
       1,
       1,
       alertsShow},
      {"alerts ack",
       "ID [--comment TEXT]",
       "acknowledge an alert: someone is looking at it",
       "Options:\n"
       "  --comment TEXT    a note kept with the alert\n",
       {{"comment", true}},
       1,
       1,
       alertsAck},
      {"alerts close",
       "ID --verdict true_positive|false_positive --comment TEXT",
       "close an alert with a verdict",
       "Options:\n"
       "  --verdict V       true_positive or false_positive (required)\n"
       "  --comment TEXT    what was found (required)\n",
       {{"verdict", true}, {"comment", true}},
       1,
       1,
       alertsClose},
      {"detect policy",
       "[--json]",
       "the detection rules and their settings",
       list_help,
       {{"json", false}},
       0,
       0,
       detectPolicy},
      {"detect run",
       "[--rule R ...] [--days N | --from T] [--to T] [--wait]",
       "run the rules again over stored events (a retrospective run)",
       "Alerts a run raises are the same as those raised in real time, and an alert already\n"
       "raised is not raised twice.\n\n"
       "Options:\n"
       "  --rule R          a rule to run; repeat for several (default: every rule)\n"
       "  --days N          the last N days, 1-366 (default: 90)\n"
       "  --from T, --to T  the period instead, YYYY-MM-DD (midnight UTC) or\n"
       "                    YYYY-MM-DDTHH:MM:SS.mmmZ; --to defaults to now\n"
       "  --wait            wait until the run is done and print what it found; the exit status\n"
       "                    is 1 when the run failed\n",
       {{"rule", true, true}, {"days", true}, {"from", true}, {"to", true}, {"wait", false}},
       0,
       0,
       detectRun},
      {"detect runs",
       "[--json]",
       "the latest retrospective runs",
       list_help,
       {{"json", false}},
       0,
       0,
       detectRuns},
  };
}

}  // namespace vigie::ctl
