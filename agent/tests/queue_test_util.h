#pragma once

// Helpers shared by the queue tests: keys, options, reading a queue back as events.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sample_events.h"
#include "test_keys.h"
#include "vigie/agent/event_queue.h"
#include "vigie/crypto/hmac_chain.h"
#include "vigie/protocol/json_codec.h"

namespace vigie::agent::testing {

using vigie::testing::fixedKey;
using vigie::testing::typicalCrmViews;

inline QueueOptions queueOptions(const std::string& path, platform::Clock* clock = nullptr) {
  QueueOptions options;
  options.path = path;
  options.device_id = "dev-test";
  options.database_key = fixedKey(0x11);
  options.chain_key = fixedKey(0x22);
  options.clock = clock;
  return options;
}

inline EventQueuePtr openOrDie(QueueOptions options) {
  auto queue = EventQueue::open(std::move(options));
  EXPECT_TRUE(queue.isOk()) << queue.status().toString();
  return queue.isOk() ? std::move(queue).value() : nullptr;
}

// Every queued event, decoded; fails the test on any undecodable row.
inline std::vector<protocol::Event> readAll(EventQueue& queue) {
  std::vector<protocol::Event> events;
  const Status status = queue.forEach([&](const LeasedEvent& row) {
    auto event = protocol::eventFromJson(row.json);
    EXPECT_TRUE(event.isOk()) << event.status().toString();
    if (event.isOk()) {
      EXPECT_EQ(event->seq, row.seq);
      events.push_back(std::move(event).value());
    }
    return true;
  });
  EXPECT_TRUE(status.isOk()) << status.toString();
  return events;
}

}  // namespace vigie::agent::testing
