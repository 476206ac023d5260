// Drain after an outage: fills a queue with N events (the outage), then lets the real uploader
// (libcurl, gzip, one kept-alive TLS connection) empty it into an HTTPS endpoint, and prints
// events/s, bytes on the wire per event and the uploader's CPU seconds per 100k events.
//
//   drain_bench --events N --url https://127.0.0.1:PORT --ca-file CA.pem [--secret-file F]
//               [--device-id ID] [--batch-events N]
// With --secret-file the tool first enrolls with a vigie-collector (which verifies and stores
// everything); without, the endpoint is an ack-only sink and no client certificate is sent.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "bench_support.h"
#include "sample_events.h"
#include "temp_dir.h"
#include "vigie/agent/enrollment_client.h"
#include "vigie/agent/uploader.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::bench {
namespace {

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Counts what goes on the wire (request bodies) on top of the real transport.
class CountingTransport final : public agent::HttpTransport {
 public:
  explicit CountingTransport(agent::HttpTransport& real) : real_(real) {}
  StatusOr<agent::HttpResponse> post(std::string_view path, std::string_view body,
                                     std::string_view content_type, bool gzip) override {
    body_bytes += body.size();
    return real_.post(path, body, content_type, gzip);
  }
  void reconnect() override { real_.reconnect(); }
  void cancel() override { real_.cancel(); }
  uint64_t body_bytes = 0;

 private:
  agent::HttpTransport& real_;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "drain_bench: %s\n", message.c_str());
  return 1;
}

int run(int argc, char** argv) {
  uint64_t events = 1'000'000;
  size_t batch_events = 2000;
  std::string url, ca_file, secret_file, device_id = "dev-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    if (name == "--events")
      events = std::stoull(value);
    else if (name == "--url")
      url = value;
    else if (name == "--ca-file")
      ca_file = value;
    else if (name == "--secret-file")
      secret_file = value;
    else if (name == "--device-id")
      device_id = value;
    else if (name == "--batch-events")
      batch_events = std::stoul(value);
    else
      return fail("unknown option " + name);
  }
  if (url.empty() || ca_file.empty()) return fail("--url and --ca-file are required");

  testing::TempDir dir(benchBaseDirectory());
  agent::QueueOptions options = benchQueueOptions(dir.file("queue.db"));
  options.device_id = device_id;

  agent::TlsSettings tls;
  tls.base_url = url;
  tls.ca_file = ca_file;
  if (!secret_file.empty()) {
    auto secret = platform::readOneLineFile(secret_file, 1024);
    if (!secret.isOk()) return fail(secret.status().toString());
    agent::EnrollmentSettings settings{url, ca_file, *secret, device_id, false};
    auto enrolled = agent::enroll(dir.path(), settings, options.chain_key);
    if (!enrolled.isOk()) return fail(enrolled.status().toString());
    tls = enrolled->tls();
  }

  auto queue = agent::EventQueue::open(options);
  if (!queue.isOk()) return fail(queue.status().toString());
  const auto fill_start = std::chrono::steady_clock::now();
  for (uint64_t done = 0; done < events;) {
    auto batch = testing::typicalCrmViews(std::min<uint64_t>(1000, events - done), done);
    done += batch.size();
    Status appended = (*queue)->append(batch);
    if (!appended.isOk()) return fail(appended.toString());
  }
  const double fill_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();
  const uint64_t queued = (*queue)->stats().events;

  auto transport = agent::newCurlTransport(tls);
  if (!transport.isOk()) return fail(transport.status().toString());
  CountingTransport counting(**transport);
  agent::UploaderOptions upload;
  upload.batch_events = batch_events;
  agent::Uploader uploader(
      **queue, counting, upload, nullptr, nullptr,
      [](const std::string& line) { std::fprintf(stderr, "uploader: %s\n", line.c_str()); }, 1);
  const double cpu_start = cpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  uint64_t retries = 0;
  while (true) {
    const agent::UploadOutcome outcome = uploader.uploadOnce();
    if (outcome.kind == agent::UploadOutcome::Kind::kIdle) break;
    if (outcome.kind == agent::UploadOutcome::Kind::kRetry && ++retries > 20) {
      return fail("too many retries: " + outcome.detail);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpuSeconds() - cpu_start;
  const uint64_t delivered = uploader.stats().delivered;
  std::printf(
      "drain: queued=%llu (filled in %.1f s) delivered=%llu in %.2f s -> %.0f events/s; "
      "wire %.1f bytes/event (gzip bodies); agent CPU %.2f s per 100k events; batches=%llu\n",
      static_cast<unsigned long long>(queued), fill_s, static_cast<unsigned long long>(delivered),
      seconds, static_cast<double>(delivered) / seconds,
      static_cast<double>(counting.body_bytes) / static_cast<double>(delivered),
      cpu * 100000.0 / static_cast<double>(delivered),
      static_cast<unsigned long long>(uploader.stats().batches));
  return delivered == queued ? 0 : 1;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::run(argc, argv); }
