// record, timeline, exports, incidents: the four audit questions, shown as a table, JSON lines or
// CSV (every page).
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "api_calls.h"
#include "commands.h"
#include "csv_writer.h"
#include "item_format.h"
#include "progress.h"
#include "time_option.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

constexpr std::string_view kOutputOptions =
    "  --limit N         items per page, 1-1000 (default: the collector's, 100)\n"
    "  --after CURSOR    start at this page (the `next` of a previous answer)\n"
    "  --all             follow every page (table and --json; --csv always does)\n"
    "  --json            one JSON item per line instead of a table\n"
    "  --csv FILE|-      write every page as CSV to FILE (or standard output); cells that a\n"
    "                    spreadsheet would take for a formula get a leading apostrophe\n"
    "  --progress        show the page count on standard error even when it is not a terminal\n";

constexpr std::string_view kRangeOptions =
    "  --from T, --to T  time range, YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SS.mmmZ;\n"
    "                    default the last 30 days, --to exclusive, at most 366 days\n";

constexpr std::string_view kBrandOption =
    "  --brand B         one client brand (accounts bound to a brand always see only theirs)\n";

std::vector<OptionSpec> outputSpecs(bool with_brand) {
  std::vector<OptionSpec> specs = {{"from", true},  {"to", true},       {"limit", true},
                                   {"after", true}, {"all", false},     {"json", false},
                                   {"csv", true},   {"progress", false}};
  if (with_brand) specs.push_back({"brand", true});
  return specs;
}

// Writes CSV to FILE.part and renames it FILE once every page is in: an interrupted export
// leaves no file that looks complete.
class CsvDestination {
 public:
  explicit CsvDestination(std::ostream& standard_output, std::string path)
      : path_(std::move(path)), standard_output_(standard_output) {}
  ~CsvDestination() {
    if (file_.is_open()) {
      file_.close();
      ::unlink(partial().c_str());
    }
  }

  Status open() {
    if (path_ == "-") return Status::ok();
    VIGIE_RETURN_IF_ERROR(platform::createPrivateFile(partial()));
    file_.open(partial(), std::ios::binary | std::ios::trunc);
    if (!file_) return Status::ioError("cannot write " + partial());
    return Status::ok();
  }
  std::ostream& stream() { return path_ == "-" ? standard_output_ : file_; }
  Status commit() {
    if (path_ == "-") {
      standard_output_.flush();
      return standard_output_ ? Status::ok() : Status::ioError("cannot write standard output");
    }
    file_.close();
    if (!file_) return Status::ioError("cannot write " + partial());
    return platform::renameDurably(partial(), path_);
  }

 private:
  std::string partial() const { return path_ + ".part"; }
  std::string path_;
  std::ostream& standard_output_;
  std::ofstream file_;
};

// `events`: the items are events, shown in the audit table; otherwise (incidents) in a table of
// their own keys.
int runQuestion(Context& context, const Invocation& invocation, std::string_view route,
                QueryParams query, bool events = true) {
  const ParsedArgs& args = invocation.args;
  std::string from;
  std::string to;
  auto period = periodOptions(args);
  if (!period.isOk()) return usage(context, invocation, period.status().message());
  for (const auto& [option, time] : *period) {
    query.emplace_back(option, time);
    (option == "from" ? from : to) = time;
  }
  if (!from.empty() && !to.empty() &&
      *protocol::parseUtcMillis(from) >= *protocol::parseUtcMillis(to)) {
    return usage(context, invocation, "--from must be before --to");
  }
  if (args.has("brand")) query.emplace_back("brand", args.text("brand"));
  auto limit = args.number("limit", 0, 1, 1000);
  if (!limit.isOk()) return usage(context, invocation, limit.status().message());
  if (args.has("limit")) query.emplace_back("limit", std::to_string(*limit));
  if (args.has("after")) query.emplace_back("after", args.text("after"));
  if (args.has("csv") && args.has("json")) {
    return usage(context, invocation, "--csv and --json do not go together");
  }
  if (args.has("csv") && args.text("csv").empty()) {
    return usage(context, invocation, "--csv needs a file name, or - for standard output");
  }

  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());
  ApiRequest request;
  request.path = {"v1", "audit", std::string(route)};
  request.query = std::move(query);
  ApiClient& client = *connection->client;

  if (args.has("csv")) {
    const std::string target = args.text("csv");
    CsvDestination destination(context.out, target);
    if (const Status opened = destination.open(); !opened.isOk()) return fail(context, opened);
    CsvWriter writer(destination.stream());
    writer.writeRow(auditCsvHeader());
    uint64_t rows = 0;
    size_t pages = 0;
    Progress progress(context.err, progressWanted(args.has("progress")));
    const Status walked =
        forEachPage(client, request, /*follow=*/true, [&](const Page& page, size_t number) {
          for (const auto& item : page.items) {
            writer.writeRow(auditCsvRow(item));
          }
          rows += page.items.size();
          pages = number;
          progress.update(groupThousands(rows) + " rows, page " + std::to_string(number));
          return writer.ok() ? Status::ok() : Status::ioError("cannot write " + target);
        });
    progress.finish();
    if (!walked.isOk()) return fail(context, walked);
    if (const Status committed = destination.commit(); !committed.isOk()) {
      return fail(context, committed);
    }
    context.err << groupThousands(rows) << (rows == 1 ? " row" : " rows") << " in " << pages
                << (pages == 1 ? " page" : " pages")
                << (target == "-" ? " written" : " written to " + target) << '\n';
    return kExitOk;
  }

  const bool as_json = args.has("json");
  std::vector<json::Value> items;
  std::string next;
  Progress progress(context.err, args.has("all") && progressWanted(args.has("progress")));
  uint64_t count = 0;
  const Status walked =
      forEachPage(client, request, args.has("all"), [&](const Page& page, size_t number) {
        for (const auto& item : page.items) {
          if (as_json) {
            context.out << toJson(item) << '\n';
          } else {
            items.push_back(item);
          }
        }
        count += page.items.size();
        next = page.next;
        progress.update(groupThousands(count) + " items, page " + std::to_string(number));
        return Status::ok();
      });
  progress.finish();
  if (!walked.isOk()) return fail(context, walked);
  if (!as_json) {
    if (items.empty()) {
      context.err << "no items\n";
    } else if (events) {
      std::vector<std::vector<std::string>> rows;
      for (const auto& item : items) rows.push_back(auditTableRow(item));
      printTable(context.out, auditTableHeader(), rows);
    } else {
      printObjectsTable(context.out, items);
    }
  }
  if (!next.empty() && !args.has("all")) {
    context.err << "more items: add --all, or --after " << printable(next) << '\n';
  }
  return kExitOk;
}

int record(Context& context, const Invocation& invocation) {
  return runQuestion(context, invocation, "record", {{"id", invocation.args.positionals()[0]}});
}

int timeline(Context& context, const Invocation& invocation) {
  return runQuestion(context, invocation, "timeline", {{"user", invocation.args.positionals()[0]}});
}

int exports(Context& context, const Invocation& invocation) {
  QueryParams query;
  if (invocation.args.has("team")) query.emplace_back("team", invocation.args.text("team"));
  if (invocation.args.has("pii")) query.emplace_back("pii", "1");
  return runQuestion(context, invocation, "exports", std::move(query));
}

int incidents(Context& context, const Invocation& invocation) {
  return runQuestion(context, invocation, "incidents", {}, /*events=*/false);
}

std::string details(std::string_view extra, bool with_brand) {
  std::string text = "Options:\n";
  text += extra;
  text += kRangeOptions;
  if (with_brand) text += kBrandOption;
  text += kOutputOptions;
  return text;
}

}  // namespace

std::vector<Command> queryCommands() {
  std::vector<OptionSpec> export_specs = outputSpecs(true);
  export_specs.push_back({"team", true});
  export_specs.push_back({"pii", false});
  static const std::string record_help = details("", true);
  static const std::string timeline_help =
      "USER is a pseudonym (p- and 10 hex digits) or a login.\n\n" + details("", true);
  static const std::string exports_help = details(
      "  --team T          only this team\n"
      "  --pii             only items where personal data was found\n",
      true);
  static const std::string incidents_help =
      "Integrity incidents: gaps, forks and bad MACs in the workstations' event chains.\n\n" +
      details("", false);
  return {
      {"record", "ID [OPTIONS]",
       "a CRM record's history: workstation views and edits, and the CRM's own changes",
       record_help, outputSpecs(true), 1, 1, record},
      {"timeline", "USER [OPTIONS]", "what one person did, in time order", timeline_help,
       outputSpecs(true), 1, 1, timeline},
      {"exports", "[OPTIONS]", "copies, file exports and print jobs, and the CRM's exports",
       exports_help, export_specs, 0, 0, exports},
      {"incidents", "[OPTIONS]", "integrity incidents", incidents_help, outputSpecs(false), 0, 0,
       incidents},
  };
}

}  // namespace vigie::ctl
