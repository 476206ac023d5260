// import-crm: a CRM's audit records from a file to POST /v1/crm-events, checked before sending.
#include "api_calls.h"
#include "commands.h"
#include "crm_file.h"
#include "item_format.h"
#include "progress.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

constexpr size_t kMaxCrmFile = size_t{1} << 30;

StatusOr<uint64_t> count(const json::Value& answer, std::string_view key) {
  const json::Value* value = answer.find(key);
  if (value == nullptr || value->kind != json::Value::Kind::kInteger || value->negative) {
    return Status::corruption("the collector's answer has no \"" + std::string(key) + "\" count");
  }
  return value->magnitude;
}

int importCrm(Context& context, const Invocation& invocation) {
  const std::string path = invocation.args.positionals()[0];
  auto format = crmFormatFor(path, invocation.args.text("format"));
  if (!format.isOk()) return usage(context, invocation, format.status().message());
  auto text = platform::readSmallFile(path, kMaxCrmFile);
  if (!text.isOk()) return fail(context, text.status());
  auto records = *format == CrmFormat::kCsv ? parseCrmCsv(*text) : parseCrmJsonLines(*text);
  if (!records.isOk()) {
    return fail(context, records.status().withContext(path + ": nothing sent"));
  }
  if (records->empty()) {
    context.err << path << ": no records\n";
    return kExitOk;
  }
  const std::vector<CrmChunk> chunks = chunkCrmRecords(*records);
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());

  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t sent = 0;
  Progress progress(context.err, progressWanted(invocation.args.has("progress")));
  for (size_t i = 0; i < chunks.size(); ++i) {
    const CrmChunk& chunk = chunks[i];
    ApiRequest request;
    request.method = HttpMethod::kPost;
    request.path = {"v1", "crm-events"};
    request.content_type = "application/x-ndjson";
    request.body = chunk.body;
    auto answer = callForObject(*connection->client, request);
    StatusOr<uint64_t> added = answer.isOk() ? count(*answer, "accepted") : answer.status();
    StatusOr<uint64_t> again = answer.isOk() ? count(*answer, "duplicates") : answer.status();
    if (!added.isOk() || !again.isOk()) {
      progress.finish();
      const Status& why = added.isOk() ? again.status() : added.status();
      fail(context, Status::invalidArgument(withFileLine(why.message(), chunk, path)));
      // Requests are all-or-nothing: earlier chunks are stored, this one and later ones are not.
      context.err << path << ": lines " << chunk.first_line << "-" << chunk.last_line
                  << " not stored; "
                  << (i == 0 ? "nothing" : "lines before " + std::to_string(chunk.first_line))
                  << " stored (" << accepted << " accepted, " << duplicates
                  << " duplicates). Running the import again is safe: stored records count as "
                     "duplicates.\n";
      return kExitError;
    }
    accepted += *added;
    duplicates += *again;
    sent += chunk.records;
    progress.update(groupThousands(sent) + " of " + groupThousands(records->size()) +
                    " records, request " + std::to_string(i + 1) + " of " +
                    std::to_string(chunks.size()));
  }
  progress.finish();
  context.out << groupThousands(accepted) << " accepted, " << groupThousands(duplicates)
              << " duplicates (" << groupThousands(records->size()) << " records in "
              << chunks.size() << (chunks.size() == 1 ? " request" : " requests") << ")\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> importCommands() {
  return {
      {"import-crm",
       "FILE [--format csv|jsonl]",
       "send a CRM's audit records to the collector (integration account)",
       "FILE holds one record per line: CSV with the header id,time,user,record_id,action,fields\n"
       "(fields: the changed field *names*, separated by ; or |) or JSON lines with those keys.\n"
       "time is YYYY-MM-DDTHH:MM:SS.mmmZ (UTC); action is create, update, delete, export or\n"
       "merge. Every line is checked before anything is sent; a column or key other than these\n"
       "six (a field value exported by mistake) refuses the whole file. Records go in requests\n"
       "of at most 1000 lines and 1 MiB; a record the collector already has counts as a\n"
       "duplicate, so an interrupted import can simply be run again.\n\n"
       "Options:\n"
       "  --format csv|jsonl  the file's format (default: from its extension, .csv, .jsonl or\n"
       "                      .ndjson)\n"
       "  --progress          show progress on standard error even when it is not a terminal\n",
       {{"format", true}, {"progress", false}},
       1,
       1,
       importCrm},
  };
}

}  // namespace vigie::ctl
