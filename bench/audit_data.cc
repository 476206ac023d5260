// Fills a collector store with a realistic call-centre history for the audit query benchmark
// (audit_query_bench, bench/audit_query.sh): workstations, people, customer records of skewed
// popularity, events of every common kind over some months, and the CRM's own audit records.
// Everything goes through the collector's real write path: EventStore::putDevice and
// EventStore::write (batches of --batch events of one device, valid per-device sequence
// numbers), Directory::setPerson / assignDevice, ShiftCalendar::replace and CrmRecords::store.
//
//   audit_data --store DIR | --collector-data DIR
//              [--events 10000000] [--devices 500] [--people 800] [--records 2000000]
//              [--days 180] [--end YYYY-MM-DD] [--seed 1] [--batch 1000]
//
// --store DIR makes DIR/store.db with a new key written to DIR/store.key (32 raw bytes, 0600);
// --collector-data DIR fills the (empty) store of an existing collector data directory, keyed by
// its keys/store.key, so that a real vigie-collector serves the data. The last day is the one
// before --end (default: today, UTC), so that "the last 30 days" of the API covers data.
// The same seed and --end give the same events, people and records.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_service.h"
#include "manual_clock.h"
#include "synthetic.h"
#include "vigie/collector/collector_home.h"
#include "vigie/collector/event_store.h"
#include "vigie/crypto/random.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/protocol/uuid.h"
#include "vigie/protocol/validate.h"

namespace vigie::bench {
namespace {

using protocol::Event;
using protocol::EventType;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kHourMs = 3600LL * 1000;

struct Options {
  std::string store_dir;
  std::string collector_data;
  uint64_t events = 10'000'000;
  int devices = 500;
  int people = 800;
  int64_t records = 2'000'000;
  int days = 180;
  std::string end;  // YYYY-MM-DD; empty: today (UTC)
  uint64_t seed = 1;
  size_t batch = 1000;
};

struct Person {
  std::string login;
  std::string team;
  int shift = 0;   // 0 morning (08-14 UTC), 1 afternoon (14-20 UTC)
  int device = 0;  // the workstation they use
  int brand = 0;   // the client brand they serve (their workstation's)
};

struct Device {
  std::string id;
  uint64_t seq = 0;
  protocol::Mac mac{};
  std::vector<Event> pending;
};

std::string hex(std::span<const uint8_t> bytes) { return protocol::toHex(bytes); }

double loadAverage() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return load;
}

// Bytes this process caused to be written to storage (write_bytes of /proc/self/io): the WAL,
// then the checkpoints into the database file.
double writtenBytes() {
  std::ifstream in("/proc/self/io");
  std::string name;
  double value = 0;
  while (in >> name >> value) {
    if (name == "write_bytes:") return value;
  }
  return -1;
}

int64_t startOfTodayUtc() {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return now - now % kDayMs;
}

// 0 = Sunday .. 6 = Saturday.
int weekday(int64_t day_start_ms) { return static_cast<int>((day_start_ms / kDayMs + 4) % 7); }

// Share of the staff working that day.
double staffing(int day_of_week) {
  if (day_of_week == 0) return 0.1;  // Sunday: a small on-call team
  if (day_of_week == 6) return 0.4;  // Saturday
  return 1.0;
}

class Generator {
 public:
  Generator(const Options& options, collector::EventStore& store, collector::AuditService& audit,
            testing::ManualClock& clock, int64_t end_ms)
      : options_(options),
        store_(store),
        audit_(audit),
        clock_(clock),
        draw_(options.seed),
        per_brand_(options.records / static_cast<int64_t>(kBrands.size())),
        zipf_(per_brand_, 1.0, 10.0),
        start_ms_(end_ms - options.days * kDayMs) {}

  Status run() {
    VIGIE_RETURN_IF_ERROR(makeDevices());
    VIGIE_RETURN_IF_ERROR(makePeople());
    // Events per day in proportion to the staff working that day.
    std::vector<double> weights;
    double total_weight = 0;
    for (int d = 0; d < options_.days; ++d) {
      weights.push_back(staffing(weekday(start_ms_ + d * kDayMs)));
      total_weight += weights.back();
    }
    started_ = std::chrono::steady_clock::now();
    last_report_ = started_;
    uint64_t planned = 0;
    for (int d = 0; d < options_.days; ++d) {
      const uint64_t until = static_cast<uint64_t>(std::llround(
          static_cast<double>(options_.events) * (weightsSum(weights, d + 1)) / total_weight));
      VIGIE_RETURN_IF_ERROR(generateDay(start_ms_ + d * kDayMs, until - planned));
      planned = until;
    }
    for (Device& device : devices_) VIGIE_RETURN_IF_ERROR(flush(device));
    for (size_t b = 0; b < crm_pending_.size(); ++b) VIGIE_RETURN_IF_ERROR(flushCrm(b));
    report(true);
    return Status::ok();
  }

  uint64_t written() const { return written_; }
  uint64_t crmWritten() const { return crm_written_; }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

 private:
  static double weightsSum(const std::vector<double>& weights, int count) {
    double sum = 0;
    for (int i = 0; i < count; ++i) sum += weights[static_cast<size_t>(i)];
    return sum;
  }

  Status makeDevices() {
    for (int d = 0; d < options_.devices; ++d) {
      const int64_t enrolled = start_ms_ - 30 * kDayMs + d * 60'000;
      collector::DeviceRecord record;
      record.device_id = protocol::toString(protocol::makeUuidV7(enrolled, draw_.bytes<10>()));
      char host[16];
      std::snprintf(host, sizeof host, "PC-%04d", d + 1);
      record.hostname = host;
      record.os = d % 5 == 0 ? "linux" : "windows";
      const auto key = draw_.bytes<crypto::SecretKey::kSize>();
      record.chain_key = crypto::SecretKey(key);
      record.certificate_fingerprint = hex(draw_.bytes<32>());
      record.enrolled_ms = enrolled;
      VIGIE_RETURN_IF_ERROR(store_.putDevice(record));
      VIGIE_RETURN_IF_ERROR(audit_.directory.assignDevice(record.device_id, kBrands[brandOf(d)]));
      Device device;
      device.id = record.device_id;
      devices_.push_back(std::move(device));
    }
    return Status::ok();
  }

  static size_t brandOf(int device) { return static_cast<size_t>(device) % kBrands.size(); }

  Status makePeople() {
    const int half = (options_.people + 1) / 2;
    std::vector<collector::Shift> shifts;
    for (int p = 0; p < options_.people; ++p) {
      Person person;
      person.login = personLogin(static_cast<size_t>(p));
      person.team = kTeams[static_cast<size_t>(p) % kTeams.size()];
      person.shift = p < half ? 0 : 1;
      person.device = p % options_.devices;
      person.brand = static_cast<int>(brandOf(person.device));
      VIGIE_RETURN_IF_ERROR(audit_.directory.setPerson(person.login, person.team, {}));
      // Their working hours, for the detection rules (in UTC: run those with TZ=UTC).
      shifts.push_back({person.login, 0x7f, person.shift == 0 ? 8 * 60 : 14 * 60,
                        person.shift == 0 ? 14 * 60 : 20 * 60});
      people_.push_back(std::move(person));
    }
    return audit_.shifts.replace(shifts);
  }

  // One day: who works (by shift), then `count` events at times spread over both shifts, in
  // time order, each by one of the people at work then.
  Status generateDay(int64_t day_ms, uint64_t count) {
    const double staffed = staffing(weekday(day_ms));
    std::array<std::vector<int>, 2> at_work;
    for (int p = 0; p < options_.people; ++p) {
      if (staffed >= 1.0 || draw_.chance(staffed))
        at_work[static_cast<size_t>(people_[static_cast<size_t>(p)].shift)].push_back(p);
    }
    std::vector<int64_t> times(count);
    for (int64_t& t : times)
      t = day_ms + 8 * kHourMs + static_cast<int64_t>(draw_.below(12 * kHourMs));
    std::sort(times.begin(), times.end());
    for (int64_t t : times) {
      const size_t shift = t < day_ms + 14 * kHourMs ? 0 : 1;
      const std::vector<int>& crew = at_work[shift].empty() ? at_work[1 - shift] : at_work[shift];
      if (crew.empty()) continue;
      const Person& person = people_[static_cast<size_t>(crew[draw_.below(crew.size())])];
      VIGIE_RETURN_IF_ERROR(addEvent(person, t, day_ms));
    }
    return Status::ok();
  }

  Status addEvent(const Person& person, int64_t time_ms, int64_t day_ms) {
    Device& device = devices_[static_cast<size_t>(person.device)];
    Event event;
    event.id = protocol::makeUuidV7(time_ms, draw_.bytes<10>());
    event.time_ms = time_ms;
    event.device = device.id;
    event.user = person.login;
    event.session = "s-" + std::to_string(day_ms / kDayMs) + "-" + std::to_string(person.device);
    const double kind = draw_.unit();
    const char* brand = kBrands[static_cast<size_t>(person.brand)];
    if (kind < 0.60) {
      event.type = EventType::kCrmView;
      protocol::CrmView view;
      view.app = "crm-web";
      static constexpr std::array<const char*, 4> kScreens = {"customer", "contract", "invoice",
                                                              "ticket"};
      view.screen = draw_.pick(kScreens);
      view.record_id = recordId(zipf_.draw(draw_), static_cast<size_t>(person.brand), per_brand_);
      view.mode = draw_.chance(0.1) ? protocol::CrmMode::kEdit : protocol::CrmMode::kView;
      view.brand = brand;
      // The CRM's own audit feed: about 2% as many records as events, after some views.
      if (draw_.chance(0.02 / 0.60)) addCrmRecord(person, view.record_id, time_ms);
      event.data = std::move(view);
    } else if (kind < 0.75) {
      event.type = EventType::kAppFocus;
      static constexpr std::array<const char*, 5> kApps = {"crm-desktop", "outlook", "excel",
                                                           "chromium", "softphone"};
      event.data = protocol::AppFocus{draw_.pick(kApps), std::nullopt};
    } else if (kind < 0.85) {
      event.type = EventType::kClipboardCopy;
      protocol::ClipboardCopy copy;
      copy.source_app = "chromium";
      copy.source_url = std::string("https://crm.") + brand + ".example/customers/" +
                        recordId(zipf_.draw(draw_), static_cast<size_t>(person.brand), per_brand_);
      copy.formats = {"UTF8_STRING", "text/plain"};
      copy.size_bytes = 8 + draw_.below(2000);
      if (draw_.chance(0.2)) {
        copy.pii.email = draw_.below(3);
        copy.pii.phone_fr = draw_.below(3);
        copy.pii.iban = draw_.chance(0.3) ? 1 : 0;
        copy.pii.nir = draw_.chance(0.1) ? 1 : 0;
        if (copy.pii.email + copy.pii.phone_fr + copy.pii.iban + copy.pii.nir == 0)
          copy.pii.email = 1;
      }
      copy.fingerprint = hex(draw_.bytes<8>());
      event.data = std::move(copy);
    } else if (kind < 0.90) {
      event.type = EventType::kFileExport;
      protocol::FileExport file;
      static constexpr std::array<protocol::PathClass, 4> kPlaces = {
          protocol::PathClass::kDownloads, protocol::PathClass::kDesktop,
          protocol::PathClass::kRemovable, protocol::PathClass::kNetworkShare};
      file.path_class = kPlaces[draw_.below(kPlaces.size())];
      static constexpr std::array<const char*, 3> kExtensions = {"csv", "xlsx", "pdf"};
      file.extension = draw_.pick(kExtensions);
      file.size_bytes = 1000 + draw_.below(5'000'000);
      file.writer_process = file.extension == "pdf" ? "chromium" : "excel";
      if (file.extension != "pdf") file.rows = 1 + draw_.below(20'000);
      event.data = std::move(file);
    } else if (kind < 0.92) {
      event.type = EventType::kPrintJob;
      static constexpr std::array<const char*, 4> kPrinters = {"floor-1", "floor-2", "floor-3",
                                                               "back-office"};
      event.data = protocol::PrintJob{draw_.pick(kPrinters), 1 + draw_.below(20),
                                      1 + draw_.below(2), draw_.chance(0.7) ? "pdf" : "docx"};
    } else {
      static constexpr std::array<EventType, 4> kSessions = {
          EventType::kSessionLogon, EventType::kSessionLogoff, EventType::kSessionLock,
          EventType::kSessionUnlock};
      event.type = kSessions[draw_.below(kSessions.size())];
      event.data = protocol::SessionChange{};
    }
    // The store is handed events as BatchIngestor hands them over after checking their chain; this
    // path checks nothing, so the MACs are random bytes chained by `prev` only for the record.
    event.seq = ++device.seq;
    event.prev = device.mac;
    event.mac = draw_.bytes<32>();
    device.mac = event.mac;
    if (checked_ < 20'000) {  // a sample, to be sure the data is what a real agent could send
      ++checked_;
      Status valid = protocol::validate(event);
      if (!valid.isOk()) return valid.withContext("audit_data: generated an invalid event");
    }
    device.pending.push_back(std::move(event));
    if (device.pending.size() >= options_.batch) return flush(device);
    return Status::ok();
  }

  void addCrmRecord(const Person& person, const std::string& record_id, int64_t view_ms) {
    collector::CrmRecord record;
    record.crm_id = "A-" + std::to_string(++crm_sequence_);
    record.time_ms = view_ms + 1000 + static_cast<int64_t>(draw_.below(120'000));
    record.user = person.login;  // no CRM account mapping: taken as the login
    record.record_id = record_id;
    static constexpr std::array<const char*, 10> kActions = {"update", "update", "update", "update",
                                                             "update", "update", "create", "export",
                                                             "export", "delete"};
    record.action = draw_.pick(kActions);
    static constexpr std::array<const char*, 6> kFields = {"iban",  "address",  "phone",
                                                           "email", "contract", "offer"};
    const uint64_t fields = record.action == std::string("update") ? 1 + draw_.below(3) : 0;
    for (uint64_t f = 0; f < fields; ++f) record.fields.push_back(kFields[draw_.below(6)]);
    const size_t brand = static_cast<size_t>(person.brand);
    crm_pending_[brand].push_back(std::move(record));
    if (crm_pending_[brand].size() >= collector::kMaxCrmLines) {
      crm_status_ = flushCrm(brand);
    }
  }

  Status flushCrm(size_t brand) {
    VIGIE_RETURN_IF_ERROR(crm_status_);
    std::vector<collector::CrmRecord>& pending = crm_pending_[brand];
    if (pending.empty()) return Status::ok();
    clock_.set(pending.back().time_ms + 60'000);  // received a minute after the last one
    auto stored = audit_.crm.store(kBrands[brand], pending);
    if (!stored.isOk()) return stored.status();
    crm_written_ += stored->accepted;
    pending.clear();
    return Status::ok();
  }

  Status flush(Device& device) {
    VIGIE_RETURN_IF_ERROR(crm_status_);
    if (device.pending.empty()) return Status::ok();
    collector::BatchWrite batch;
    batch.device_id = device.id;
    batch.events.reserve(device.pending.size());
    for (const Event& event : device.pending) {
      // Empty JSON: the store encodes the event itself (the HTTPS path hands it the received line,
      // the same text).
      batch.events.push_back({&event, {}, collector::Integrity::kOk});
    }
    batch.head = {device.pending.back().seq, device.pending.back().mac};
    batch.received_ms = device.pending.back().time_ms + 5'000;
    VIGIE_RETURN_IF_ERROR(store_.write(batch));
    written_ += device.pending.size();
    device.pending.clear();
    if (written_ >= next_report_) report(false);
    return Status::ok();
  }

  void report(bool final) {
    const auto now = std::chrono::steady_clock::now();
    const double total = std::chrono::duration<double>(now - started_).count();
    const double interval = std::chrono::duration<double>(now - last_report_).count();
    std::printf("%s%11llu events  %7.1f s  %8.0f events/s (last %llu: %8.0f/s)  load %.2f\n",
                final ? "done " : "     ", static_cast<unsigned long long>(written_), total,
                static_cast<double>(written_) / total,
                static_cast<unsigned long long>(written_ - last_written_),
                static_cast<double>(written_ - last_written_) / std::max(interval, 1e-9),
                loadAverage());
    std::fflush(stdout);
    last_report_ = now;
    last_written_ = written_;
    while (next_report_ <= written_) next_report_ += kReportEvery;
  }

  static constexpr uint64_t kReportEvery = 500'000;
  const Options& options_;
  collector::EventStore& store_;
  collector::AuditService& audit_;
  testing::ManualClock& clock_;
  Draw draw_;
  int64_t per_brand_;
  Zipf zipf_;
  int64_t start_ms_;
  std::vector<Device> devices_;
  std::vector<Person> people_;
  std::array<std::vector<collector::CrmRecord>, kBrands.size()> crm_pending_;
  Status crm_status_ = Status::ok();
  uint64_t crm_sequence_ = 0;
  uint64_t written_ = 0;
  uint64_t crm_written_ = 0;
  uint64_t checked_ = 0;
  uint64_t next_report_ = kReportEvery;
  uint64_t last_written_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_report_;
};

int usage(const char* message) {
  std::fprintf(stderr,
               "audit_data: %s\nusage: audit_data --store DIR | --collector-data DIR [--events N]"
               " [--devices D] [--people P] [--records R] [--days DAYS] [--end YYYY-MM-DD]"
               " [--seed S] [--batch B]\n",
               message);
  return 2;
}

int fail(const Status& status) {
  std::fprintf(stderr, "audit_data: %s\n", status.toString().c_str());
  return 1;
}

uintmax_t sizeOf(const std::string& path) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

int run(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; i += 2) {
    const std::string name = argv[i];
    if (i + 1 >= argc) return usage(("missing value after " + name).c_str());
    const std::string value = argv[i + 1];
    try {
      if (name == "--store") {
        options.store_dir = value;
      } else if (name == "--collector-data") {
        options.collector_data = value;
      } else if (name == "--events") {
        options.events = std::stoull(value);
      } else if (name == "--devices") {
        options.devices = std::stoi(value);
      } else if (name == "--people") {
        options.people = std::stoi(value);
      } else if (name == "--records") {
        options.records = std::stoll(value);
      } else if (name == "--days") {
        options.days = std::stoi(value);
      } else if (name == "--end") {
        options.end = value;
      } else if (name == "--seed") {
        options.seed = std::stoull(value);
      } else if (name == "--batch") {
        options.batch = std::stoul(value);
      } else {
        return usage(("unknown option " + name).c_str());
      }
    } catch (const std::exception&) {
      return usage(("bad value for " + name).c_str());
    }
  }
  if (options.store_dir.empty() == options.collector_data.empty())
    return usage("give either --store DIR or --collector-data DIR");
  if (options.devices < 1 || options.people < 1 || options.days < 1 || options.days > 366 ||
      options.records < static_cast<int64_t>(kBrands.size()) || options.batch < 1) {
    return usage("devices, people, days (1-366), records (3+) and batch must be positive");
  }
  int64_t end_ms = startOfTodayUtc();
  if (!options.end.empty()) {
    const auto parsed = protocol::parseUtcMillis(options.end + "T00:00:00.000Z");
    if (!parsed) return usage("--end expects YYYY-MM-DD");
    end_ms = *parsed;
  }

  std::string store_file;
  crypto::SecretKey key;
  if (!options.store_dir.empty()) {
    store_file = options.store_dir + "/store.db";
    if (std::filesystem::exists(store_file)) {
      return usage((store_file + " exists; give a new directory").c_str());
    }
    Status made = platform::createPrivateDirectory(options.store_dir);
    if (!made.isOk()) return fail(made);
    auto generated = crypto::generateKey();
    if (!generated.isOk()) return fail(generated.status());
    key = *generated;
    const auto bytes = key.bytes();
    Status saved = platform::writeFileAtomically(
        options.store_dir + "/store.key",
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    if (!saved.isOk()) return fail(saved);
  } else {
    auto home = collector::openCollectorHome(options.collector_data);
    if (!home.isOk()) return fail(home.status());
    store_file = home->store_file;
    key = home->store_key;
  }

  auto store = collector::openSqlCipherStore(store_file, key);
  if (!store.isOk()) return fail(store.status());
  auto count = (*store)->eventCount();
  if (!count.isOk()) return fail(count.status());
  if (*count != 0)
    return usage((store_file + " already holds events; give an empty store").c_str());
  testing::ManualClock clock(end_ms);
  auto audit = collector::openAuditService(store_file, key, clock);
  if (!audit.isOk()) return fail(audit.status());

  std::printf(
      "audit_data: %llu events, %d devices, %d people, %lld records, %d days up to %s, seed %llu,"
      " batches of %zu -> %s\n",
      static_cast<unsigned long long>(options.events), options.devices, options.people,
      static_cast<long long>(options.records), options.days,
      protocol::formatUtcMillis(end_ms).substr(0, 10).c_str(),
      static_cast<unsigned long long>(options.seed), options.batch, store_file.c_str());
  std::fflush(stdout);
  Generator generator(options, **store, **audit, clock, end_ms);
  Status done = generator.run();
  if (!done.isOk()) return fail(done);
  const double seconds = generator.seconds();
  audit->reset();
  store->reset();
  const uintmax_t bytes = sizeOf(store_file) + sizeOf(store_file + "-wal");
  const double events = static_cast<double>(std::max<uint64_t>(generator.written(), 1));
  std::printf(
      "audit_data: %llu events + %llu CRM records in %.1f s (%.0f events/s), store %.2f GB"
      " (%.0f bytes per event), %.1f GB written to disk (%.0f bytes per event)\n",
      static_cast<unsigned long long>(generator.written()),
      static_cast<unsigned long long>(generator.crmWritten()), seconds,
      static_cast<double>(generator.written()) / seconds, static_cast<double>(bytes) / 1e9,
      static_cast<double>(bytes) / events, writtenBytes() / 1e9, writtenBytes() / events);
  return 0;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::run(argc, argv); }
