// The JSON-lines output: one alert per line, appended to a file a SIEM's shipper reads.

#include "detect/alert_outputs.h"
#include "vigie/platform/append_file.h"

namespace vigie::collector {
namespace {

class JsonlOutput final : public AlertOutput {
 public:
  explicit JsonlOutput(platform::AppendFilePtr file) : file_(std::move(file)) {}

  std::string_view name() const override { return kJsonlOutput; }

  // The batch is one write and one sync: durable together, then settled together.
  Status deliver(std::span<const OutgoingAlert> alerts, const Settled& settled) override {
    if (alerts.empty()) return Status::ok();
    std::string lines;
    for (const OutgoingAlert& alert : alerts) {
      lines += alert.json;
      lines += '\n';
    }
    VIGIE_RETURN_IF_ERROR(file_->append(lines).withContext("jsonl"));
    VIGIE_RETURN_IF_ERROR(file_->sync().withContext("jsonl"));
    return settled(alerts.size() - 1, "");
  }

 private:
  platform::AppendFilePtr file_;
};

}  // namespace

StatusOr<AlertOutputPtr> makeJsonlOutput(const JsonlConfig& config) {
  auto file = platform::openAppendFile(config.path);
  if (!file.isOk()) return file.status().withContext("outputs.jsonl.path");
  return AlertOutputPtr(std::make_unique<JsonlOutput>(std::move(file).value()));
}

}  // namespace vigie::collector
