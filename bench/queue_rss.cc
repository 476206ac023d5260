// Memory of the agent's queue with many events queued (DESIGN.md: agent service RSS with 1M
// events queued <= 30 MB). Fills a queue with N typical events in batches of 1000, reports RSS,
// then reopens the full queue in a fresh process (so its peak is not the filling's) and reports
// RSS again, before and after one append + upload cycle.
//
// Usage: queue_rss [N events, default 1000000]. Files go under $VIGIE_BENCH_DIR, else /var/tmp.

#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.h"
#include "sample_events.h"
#include "temp_dir.h"
#include "vigie/agent/event_queue.h"

extern char** environ;

namespace vigie::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kBatch = 1000;
constexpr size_t kLeaseBytes = 1 << 20;
constexpr const char* kReopenFlag = "--reopen";

double seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

void printMemory(const char* when, uint64_t queued) {
  const Memory memory = readMemory();
  std::printf("%-36s queued=%-9llu VmRSS=%6.1f MB  VmHWM=%6.1f MB  sqlite heap=%5.1f MB\n", when,
              static_cast<unsigned long long>(queued), memory.rss_mb, memory.peak_mb,
              static_cast<double>(sqlite3_memory_used()) / 1e6);
  std::fflush(stdout);
}

uint64_t fileBytes(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

// The second process: open the full queue as the restarted service would, and work on it.
int reopen(const std::string& path) {
  const auto started = Clock::now();
  auto opened = agent::EventQueue::open(benchQueueOptions(path));
  if (!opened.isOk()) {
    std::fprintf(stderr, "queue_rss: reopen: %s\n", opened.status().toString().c_str());
    return 1;
  }
  agent::EventQueue& queue = *opened.value();
  const double open_s = seconds(Clock::now() - started);
  printMemory("after reopen (fresh process)", queue.stats().events);
  std::printf("  reopen took %.3f s\n", open_s);

  std::vector<protocol::Event> events = testing::typicalCrmViews(kBatch, queue.stats().next_seq);
  Status status = queue.append(events);
  auto lease = queue.lease(kBatch, kLeaseBytes);
  if (status.isOk() && lease.isOk()) status = queue.ack(lease->id);
  if (!status.isOk() || !lease.isOk()) {
    std::fprintf(stderr, "queue_rss: append/lease/ack: %s %s\n", status.toString().c_str(),
                 lease.status().toString().c_str());
    return 1;
  }
  printMemory("after append 1000 + lease/ack 1000", queue.stats().events);
  return 0;
}

// Runs this program again with `--reopen path`, so the reopened queue's peak RSS is its own.
int reopenInChild(const std::string& path) {
  std::string self = "/proc/self/exe";
  std::string flag = kReopenFlag;
  std::string target = path;
  char* argv[] = {self.data(), flag.data(), target.data(), nullptr};
  pid_t pid = 0;
  if (::posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, environ) != 0) {
    std::perror("queue_rss: posix_spawn");
    return 1;
  }
  int wstatus = 0;
  if (::waitpid(pid, &wstatus, 0) != pid) return 1;
  return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 1;
}

int fillAndMeasure(uint64_t count) {
  testing::TempDir dir(benchBaseDirectory());
  const std::string path = dir.file("queue.db");
  printMemory("before open", 0);
  auto opened = agent::EventQueue::open(benchQueueOptions(path));
  if (!opened.isOk()) {
    std::fprintf(stderr, "queue_rss: open: %s\n", opened.status().toString().c_str());
    return 1;
  }
  agent::EventQueuePtr queue = std::move(opened).value();

  Clock::duration appending{};
  const auto started = Clock::now();
  for (uint64_t done = 0; done < count; done += kBatch) {
    std::vector<protocol::Event> events =
        testing::typicalCrmViews(std::min(kBatch, count - done), done);
    const auto before = Clock::now();
    const Status status = queue->append(events);
    appending += Clock::now() - before;
    if (!status.isOk()) {
      std::fprintf(stderr, "queue_rss: append: %s\n", status.toString().c_str());
      return 1;
    }
  }
  const double total_s = seconds(Clock::now() - started);
  const agent::QueueStats stats = queue->stats();
  std::printf(
      "filled %llu events (%.0f bytes each) in %.2f s: %.0f events/s overall, "
      "%.0f events/s in append()\n",
      static_cast<unsigned long long>(stats.events),
      static_cast<double>(stats.bytes) / static_cast<double>(std::max<uint64_t>(1, count)), total_s,
      static_cast<double>(count) / total_s, static_cast<double>(count) / seconds(appending));
  if (stats.dropped_total != 0 || stats.events < count) {
    std::fprintf(stderr, "queue_rss: the queue dropped events\n");
    return 1;
  }
  printMemory("after filling (same process)", stats.events);
  queue.reset();
  std::printf("queue file: %.1f MB (+ WAL %.1f MB)\n", static_cast<double>(fileBytes(path)) / 1e6,
              static_cast<double>(fileBytes(path + "-wal")) / 1e6);
  std::fflush(stdout);
  return reopenInChild(path);
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == vigie::bench::kReopenFlag) {
    return vigie::bench::reopen(argv[2]);
  }
  if (argc > 2) {
    std::fprintf(stderr, "usage: queue_rss [N events, default 1000000]\n");
    return 2;
  }
  const uint64_t count = argc == 2 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  if (count == 0) {
    std::fprintf(stderr, "queue_rss: N must be a positive number\n");
    return 2;
  }
  return vigie::bench::fillAndMeasure(count);
}
