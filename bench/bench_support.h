#pragma once

// Helpers shared by the queue benchmarks: where their files go, queue options, memory figures.

#include <cstdint>
#include <string>
#include <vector>

#include "vigie/agent/event_queue.h"
#include "vigie/protocol/event.h"

namespace vigie::bench {

// Where benchmark files go: $VIGIE_BENCH_DIR, else /var/tmp. Durable figures need fsync to reach
// a real disk, and /tmp is often a tmpfs; warns (once) when the directory is a tmpfs anyway.
std::string benchBaseDirectory();

// Options for a benchmark queue at `path`, with limits far above what a run stores, so that no
// event is ever dropped and the figures measure storing only.
agent::QueueOptions benchQueueOptions(const std::string& path);

// The process's resident set size now and at its peak (VmRSS and VmHWM of /proc/self/status),
// in MB (10^6 bytes); -1 when unavailable.
struct Memory {
  double rss_mb = -1;
  double peak_mb = -1;
};
Memory readMemory();

}  // namespace vigie::bench
