// Test helper: appends to a queue forever, printing the last sequence number of every batch once
// append() has returned (so every printed number is committed). The crash test kills it with
// SIGKILL at random points. Usage: queue_writer QUEUE_PATH SEED
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>

#include "sample_events.h"
#include "test_keys.h"
#include "vigie/agent/event_queue.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: queue_writer QUEUE_PATH SEED\n");
    return 2;
  }
  vigie::agent::QueueOptions options;
  options.path = argv[1];
  options.device_id = "dev-crash";
  options.database_key = vigie::testing::fixedKey(0x11);
  options.chain_key = vigie::testing::fixedKey(0x22);
  auto queue = vigie::agent::EventQueue::open(std::move(options));
  if (!queue.isOk()) {
    std::fprintf(stderr, "queue_writer: %s\n", queue.status().toString().c_str());
    return 1;
  }
  std::mt19937_64 rng(std::stoull(argv[2]));
  std::uniform_int_distribution<size_t> batch_size(1, 64);
  for (uint64_t n = 0;; ++n) {
    std::vector<vigie::protocol::Event> batch;
    for (size_t i = batch_size(rng); i > 0; --i) batch.push_back(vigie::testing::typicalCrmView(n));
    const vigie::Status status = (*queue)->append(batch);
    if (!status.isOk()) {
      std::fprintf(stderr, "queue_writer: %s\n", status.toString().c_str());
      return 1;
    }
    const std::string line = std::to_string(batch.back().seq) + "\n";
    if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      return 1;
    }
  }
}
