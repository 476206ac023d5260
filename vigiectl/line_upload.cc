#include "line_upload.h"

#include "api_calls.h"
#include "item_format.h"
#include "progress.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

StatusOr<uint64_t> count(const json::Value& answer, std::string_view key) {
  const json::Value* value = answer.find(key);
  if (value == nullptr || value->kind != json::Value::Kind::kInteger || value->negative) {
    return Status::corruption("the collector's answer has no \"" + std::string(key) + "\" count");
  }
  return value->magnitude;
}

}  // namespace

int uploadLines(Context& context, const LineUpload& upload, const std::vector<LineChunk>& chunks) {
  auto connection = connectSaved(context);
  if (!connection.isOk()) return fail(context, connection.status());

  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t sent = 0;
  const std::string noun(upload.noun);
  Progress progress(context.err, progressWanted(upload.progress));
  for (size_t i = 0; i < chunks.size(); ++i) {
    const LineChunk& chunk = chunks[i];
    ApiRequest request;
    request.method = HttpMethod::kPost;
    request.path = upload.route;
    request.content_type = "application/x-ndjson";
    request.body = chunk.body;
    auto answer = callForObject(*connection->client, request);
    StatusOr<uint64_t> added = answer.isOk() ? count(*answer, "accepted") : answer.status();
    StatusOr<uint64_t> again = answer.isOk() ? count(*answer, "duplicates") : answer.status();
    if (!added.isOk() || !again.isOk()) {
      progress.finish();
      const Status& why = added.isOk() ? again.status() : added.status();
      fail(context, Status::invalidArgument(withFileLine(why.message(), chunk, upload.file)));
      // Requests are all-or-nothing: earlier chunks are stored, this one and later ones are not.
      context.err << upload.file << ": lines " << chunk.first_line << "-" << chunk.last_line
                  << " not stored; "
                  << (i == 0 ? "nothing" : "lines before " + std::to_string(chunk.first_line))
                  << " stored (" << accepted << " accepted, " << duplicates
                  << " duplicates). Running the import again is safe: stored " << noun
                  << " count as duplicates.\n";
      return kExitError;
    }
    accepted += *added;
    duplicates += *again;
    sent += chunk.records;
    progress.update(groupThousands(sent) + " of " + groupThousands(upload.lines) + " " + noun +
                    ", request " + std::to_string(i + 1) + " of " + std::to_string(chunks.size()));
  }
  progress.finish();
  context.out << groupThousands(accepted) << " accepted, " << groupThousands(duplicates)
              << " duplicates (" << groupThousands(upload.lines) << " " << noun << " in "
              << chunks.size() << (chunks.size() == 1 ? " request" : " requests") << ")\n";
  return kExitOk;
}

}  // namespace vigie::ctl
