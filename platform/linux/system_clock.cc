#include <chrono>

#include "vigie/platform/clock.h"

namespace vigie::platform {
namespace {

class SystemClock final : public Clock {
 public:
  int64_t nowUnixMillis() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace

Clock& systemClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace vigie::platform
