#pragma once

#include <cstdint>

namespace vigie::platform {

// Wall-clock time source. Injected everywhere time matters, so tests can make it jump.
class Clock {
 public:
  virtual ~Clock() = default;
  // UTC, Unix milliseconds.
  virtual int64_t nowUnixMillis() = 0;
};

// The OS clock. Thread-safe; lives for the whole program.
Clock& systemClock();

}  // namespace vigie::platform
