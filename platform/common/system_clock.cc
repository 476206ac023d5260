#include <chrono>

#include "vigie/platform/clock.h"
#include "vigie/platform/desktop_watcher.h"

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

int64_t steadyMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Clock& systemClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace vigie::platform
