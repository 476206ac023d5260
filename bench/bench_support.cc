#include "bench_support.h"

#include <linux/magic.h>
#include <sys/vfs.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "test_keys.h"

namespace vigie::bench {
namespace {

// Figures taken on a tmpfs measure memory, not durability: say so rather than mislead.
void warnIfTmpfs(const std::string& base) {
  static bool warned = false;
  struct statfs info {};
  if (warned || ::statfs(base.c_str(), &info) != 0) return;
  if (info.f_type == TMPFS_MAGIC) {
    std::fprintf(stderr,
                 "bench: %s is a tmpfs; fsync costs nothing there. Set VIGIE_BENCH_DIR to a "
                 "directory on disk.\n",
                 base.c_str());
  }
  warned = true;
}

// Reads a "Name:   1234 kB" line of /proc/self/status, in MB.
double statusFieldMb(const std::string& status, const std::string& name) {
  const size_t at = status.find(name + ":");
  if (at == std::string::npos) return -1;
  const double kb = std::strtod(status.c_str() + at + name.size() + 1, nullptr);
  return kb * 1024 / 1e6;
}

}  // namespace

std::string benchBaseDirectory() {
  const char* configured = std::getenv("VIGIE_BENCH_DIR");
  const std::string base = configured != nullptr && *configured != '\0' ? configured : "/var/tmp";
  warnIfTmpfs(base);
  return base;
}

agent::QueueOptions benchQueueOptions(const std::string& path) {
  agent::QueueOptions options;
  options.path = path;
  options.device_id = "dev-bench";
  options.database_key = testing::fixedKey(0x11);
  options.chain_key = testing::fixedKey(0x22);
  options.limits.max_events = 1ull << 40;
  options.limits.max_bytes = 1ull << 50;
  return options;
}

Memory readMemory() {
  std::ifstream in("/proc/self/status");
  const std::string status((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {statusFieldMb(status, "VmRSS"), statusFieldMb(status, "VmHWM")};
}

}  // namespace vigie::bench
