// A collector's ingest path and nothing else, for the test that kills a collector mid-ingest:
// ingests `batches` batches of `size` chained events of one device into the PostgreSQL store at
// `conninfo`, and prints "committed N" after each batch the store acknowledged.
//
//   pg_ingest_writer CONNINFO DEVICE_ID KEY_BYTE BATCHES SIZE
#include <cstdio>
#include <string>

#include "chained_events.h"
#include "test_keys.h"
#include "vigie/collector/batch_ingestor.h"
#include "vigie/collector/postgres_store.h"
#include "vigie/platform/clock.h"

int main(int argc, char** argv) {
  using namespace vigie;
  if (argc != 6) {
    std::fprintf(stderr, "usage: pg_ingest_writer CONNINFO DEVICE_ID KEY_BYTE BATCHES SIZE\n");
    return 2;
  }
  const std::string device_id = argv[2];
  const auto key = testing::fixedKey(static_cast<uint8_t>(std::stoi(argv[3])));
  const size_t batches = std::stoul(argv[4]);
  const size_t size = std::stoul(argv[5]);
  platform::Clock& clock = platform::systemClock();
  auto store = collector::openPostgresStore({argv[1], 1}, clock.nowUnixMillis());
  if (!store.isOk()) {
    std::fprintf(stderr, "pg_ingest_writer: %s\n", store.status().toString().c_str());
    return 1;
  }
  auto device = (*store)->findDevice(device_id);
  if (!device.isOk() || !device->has_value()) {
    std::fprintf(stderr, "pg_ingest_writer: no device %s\n", device_id.c_str());
    return 1;
  }
  const auto events = testing::chainedCrmViews(key, batches * size, device_id);
  collector::BatchIngestor ingestor(**store, clock);
  for (size_t b = 0; b < batches; ++b) {
    auto result = ingestor.ingest(**device, std::span(events).subspan(b * size, size));
    if (!result.isOk()) {
      std::fprintf(stderr, "pg_ingest_writer: %s\n", result.status().toString().c_str());
      return 1;
    }
    std::printf("committed %zu\n", b + 1);
    std::fflush(stdout);
  }
  return 0;
}
