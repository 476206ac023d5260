#pragma once

// Helpers shared by the queue benchmarks: where their files go, queue options, memory figures.

#include <cstdint>
#include <string>
#include <vector>

#include "vigie/agent/event_queue.h"
#include "vigie/protocol/event.h"

namespace vigie::bench {

// A fresh directory for one benchmark's files, removed with its content when destroyed.
// Created under $VIGIE_BENCH_DIR, else /var/tmp: durable figures need fsync to reach a real disk,
// and /tmp is often a tmpfs. Warns (once) when the base directory is a tmpfs anyway.
// Aborts when the directory cannot be created: no figure is worth measuring without it.
class BenchDir {
 public:
  BenchDir();
  ~BenchDir();
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A fixed 256-bit key filled with `fill`.
crypto::SecretKey fixedKey(uint8_t fill);

// Options for a benchmark queue at `path`, with limits far above what a run stores, so that no
// event is ever dropped and the figures measure storing only.
agent::QueueOptions benchQueueOptions(const std::string& path);

// `count` typical ~300-byte crm.view events, record ids varied from `first`.
std::vector<protocol::Event> typicalEvents(size_t count, uint64_t first);

// The process's resident set size now and at its peak (VmRSS and VmHWM of /proc/self/status),
// in MB (10^6 bytes); -1 when unavailable.
struct Memory {
  double rss_mb = -1;
  double peak_mb = -1;
};
Memory readMemory();

}  // namespace vigie::bench
