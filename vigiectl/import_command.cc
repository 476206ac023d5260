// import-crm: a CRM's audit records from a file to POST /v1/crm-events, checked before sending.
#include "commands.h"
#include "crm_file.h"
#include "line_upload.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::ctl {

namespace {

constexpr size_t kMaxCrmFile = size_t{1} << 30;

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
  LineUpload upload;
  upload.file = path;
  upload.route = {"v1", "crm-events"};
  upload.noun = "records";
  upload.lines = records->size();
  upload.progress = invocation.args.has("progress");
  return uploadLines(context, upload, chunkCrmRecords(*records));
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
