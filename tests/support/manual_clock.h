#pragma once

#include <atomic>

#include "vigie/platform/clock.h"

namespace vigie::testing {

// A clock that moves only when the test says so.
class ManualClock final : public platform::Clock {
 public:
  explicit ManualClock(int64_t start_ms = 1764337698123) : now_(start_ms) {}
  int64_t nowUnixMillis() override { return now_.load(); }
  void set(int64_t ms) { now_ = ms; }
  void advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace vigie::testing
