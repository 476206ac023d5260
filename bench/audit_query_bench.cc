// The auditors' questions over a filled store (audit_data), through AuditQueries::run — the code
// the HTTP API runs, with pseudonyms and JSON rendering — and nothing of HTTP or TLS
// (bench/audit_query.sh measures those). Reports p50 / p95 / p99 per case as counters (ms).
//
//   audit_query_bench --store DIR [--print-records] [--dump FILE] [benchmark flags]
//
// DIR is an audit_data --store directory (store.db + store.key) or a collector data directory
// (keys/store.key); VIGIE_AUDIT_STORE may name it instead. The questions are asked as of the day
// after the newest event. Records are picked from the data by popularity (views over the whole
// store): hot (the 10 most viewed), median (half of all views are of records at least as viewed),
// cold (one view), and fresh: a different record per iteration, never asked before in the run,
// drawn by views, so that its pages are not in SQLite's cache. Each case varies its record or
// person across iterations.
//
// --print-records prints the chosen records and people and exits (for audit_query.sh);
// --dump FILE writes the answers to a fixed set of questions (up to 6 pages each), to compare two
//   builds.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "audit/audit_service.h"
#include "store_location.h"
#include "vigie/platform/clock.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::bench {
namespace {

using collector::AuditQuery;
using collector::AuditService;
using collector::Question;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

double loadAverage() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return load;
}

std::string day(int64_t ms) { return protocol::formatUtcMillis(ms).substr(0, 10); }

// 0 = Sunday .. 6 = Saturday.
int weekday(int64_t day_start_ms) { return static_cast<int>((day_start_ms / kDayMs + 4) % 7); }

struct RecordViews {
  std::string id;
  int64_t views = 0;
};

// What the cases ask about, chosen from the data.
struct Workload {
  int64_t now_ms = 0;  // the day after the newest event, 00:00 UTC
  std::vector<RecordViews> hot, median, cold, fresh;
  int64_t viewed_records = 0;
  int64_t timeline_day_ms = 0;
  std::vector<std::string> day_people;   // people with events on timeline_day_ms
  std::vector<int64_t> timeline_counts;  // their events that day
  std::vector<int64_t> export_days_ms;   // recent weekdays
};

// Reads the store once on its own connection (closed afterwards: the measured connection starts
// with an empty page cache).
StatusOr<Workload> chooseWorkload(const StoreLocation& store) {
  auto opened = sqlcipher::openEncrypted(store.file, SQLITE_OPEN_READWRITE, store.key);
  if (!opened.isOk()) return opened.status();
  sqlite3* db = opened->get();
  Workload work;
  int64_t newest = 0;
  VIGIE_RETURN_IF_ERROR(sqlcipher::run(
      db, "SELECT time_ms FROM events WHERE type = 'crm.view' ORDER BY time_ms DESC LIMIT 1", {},
      [&](sqlite3_stmt* s) { newest = sqlcipher::columnInt(s, 0); }));
  if (newest == 0) return Status::notFound("the store holds no crm.view event");
  work.now_ms = newest - newest % kDayMs + kDayMs;

  std::vector<RecordViews> records;
  VIGIE_RETURN_IF_ERROR(sqlcipher::run(
      db, "SELECT record_id, count(*) FROM events WHERE record_id IS NOT NULL GROUP BY record_id",
      {}, [&](sqlite3_stmt* s) {
        records.push_back({sqlcipher::columnText(s, 0), sqlcipher::columnInt(s, 1)});
      }));
  std::stable_sort(records.begin(), records.end(),
                   [](const RecordViews& a, const RecordViews& b) { return a.views > b.views; });
  work.viewed_records = static_cast<int64_t>(records.size());
  if (records.size() < 1000) return Status::notFound("fewer than 1000 viewed records");
  std::mt19937_64 draw(42);
  work.hot.assign(records.begin(), records.begin() + 10);
  std::vector<int64_t> cumulative;
  int64_t total = 0;
  for (const RecordViews& r : records) cumulative.push_back(total += r.views);
  // Median by views: half of all views are of records at least this popular (the median record
  // id has a single view, the same as cold). Its tier: records within 20% of that count.
  const auto half_views = std::lower_bound(cumulative.begin(), cumulative.end(), total / 2);
  const int64_t median_views = records[static_cast<size_t>(half_views - cumulative.begin())].views;
  std::vector<RecordViews> at_median, single;
  for (const RecordViews& r : records) {
    if (r.views * 5 >= median_views * 4 && r.views * 4 <= median_views * 5) at_median.push_back(r);
    if (r.views == 1) single.push_back(r);
  }
  auto sample = [&](std::vector<RecordViews>& from, size_t n) {
    std::shuffle(from.begin(), from.end(), draw);
    from.resize(std::min(n, from.size()));
    return from;
  };
  work.median = sample(at_median, 500);
  work.cold = sample(single, 500);
  // Fresh: drawn by views (as auditors follow up on viewed records), each once, none of the above.
  std::set<std::string> taken;
  for (const auto* tier : {&work.hot, &work.median, &work.cold})
    for (const RecordViews& r : *tier) taken.insert(r.id);
  for (int attempts = 0; work.fresh.size() < 1000 && attempts < 100000; ++attempts) {
    const auto at = std::upper_bound(cumulative.begin(), cumulative.end(),
                                     static_cast<int64_t>(draw() % static_cast<uint64_t>(total)));
    const RecordViews& r = records[static_cast<size_t>(at - cumulative.begin())];
    if (taken.insert(r.id).second) work.fresh.push_back(r);
  }

  // The timeline day: the newest weekday; its people from the directory.
  work.timeline_day_ms = work.now_ms - kDayMs;
  while (weekday(work.timeline_day_ms) == 0 || weekday(work.timeline_day_ms) == 6)
    work.timeline_day_ms -= kDayMs;
  std::vector<std::string> people;
  VIGIE_RETURN_IF_ERROR(
      sqlcipher::run(db, "SELECT login FROM people ORDER BY login", {},
                     [&](sqlite3_stmt* s) { people.push_back(sqlcipher::columnText(s, 0)); }));
  for (const std::string& login : people) {
    int64_t count = 0;
    VIGIE_RETURN_IF_ERROR(sqlcipher::run(
        db, "SELECT count(*) FROM events WHERE user = ? AND time_ms >= ? AND time_ms < ?",
        {std::string_view(login), work.timeline_day_ms, work.timeline_day_ms + kDayMs},
        [&](sqlite3_stmt* s) { count = sqlcipher::columnInt(s, 0); }));
    if (count > 0) {
      work.day_people.push_back(login);
      work.timeline_counts.push_back(count);
    }
  }
  if (work.day_people.empty())
    return Status::notFound("nobody worked on " + day(work.timeline_day_ms));
  for (int64_t d = work.now_ms - kDayMs;
       work.export_days_ms.size() < 20 && d > work.now_ms - 60 * kDayMs; d -= kDayMs) {
    if (weekday(d) != 0 && weekday(d) != 6) work.export_days_ms.push_back(d);
  }
  return work;
}

AuditQuery recordQuery(const Workload& work, const std::string& record, int days) {
  AuditQuery query;
  query.question = Question::kRecord;
  query.record_id = record;
  // The API's default period ends now (exclusive of what comes later); here: the data's end.
  query.to_ms = work.now_ms;
  query.from_ms = work.now_ms - days * kDayMs;
  query.limit = 100;
  return query;
}

AuditQuery timelineQuery(const std::string& login, int64_t from_ms, int64_t to_ms) {
  AuditQuery query;
  query.question = Question::kTimeline;
  query.login = login;
  query.from_ms = from_ms;
  query.to_ms = to_ms;
  query.limit = 100;
  return query;
}

AuditQuery exportsQuery(int64_t day_ms, bool pii_only) {
  AuditQuery query;
  query.question = Question::kExports;
  query.pii_only = pii_only;
  query.from_ms = day_ms;
  query.to_ms = day_ms + kDayMs;
  query.limit = 100;
  return query;
}

// Nearest rank.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

// One case: iteration i asks make(i); with `walk`, follows `next` to the last page. The time of
// one iteration is every page of it.
void runCase(benchmark::State& state, AuditService& audit,
             const std::function<AuditQuery(size_t)>& make, bool walk) {
  std::vector<double> ms;
  uint64_t items = 0;
  uint64_t pages = 0;
  size_t i = 0;
  for (auto _ : state) {
    AuditQuery query = make(i++);
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
      auto page = audit.queries.run(query);
      if (!page.isOk()) {
        state.SkipWithError(("query: " + page.status().toString()).c_str());
        return;
      }
      benchmark::DoNotOptimize(page->items.data());
      items += page->count;
      ++pages;
      if (!walk || !page->next) break;
      query.after = page->next;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(seconds);
    ms.push_back(seconds * 1e3);
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = percentile(ms, 0.50);
  state.counters["p95_ms"] = percentile(ms, 0.95);
  state.counters["p99_ms"] = percentile(ms, 0.99);
  state.counters["max_ms"] = ms.empty() ? 0 : ms.back();
  const double n = static_cast<double>(std::max<size_t>(ms.size(), 1));
  state.counters["items"] = static_cast<double>(items) / n;
  state.counters["pages"] = static_cast<double>(pages) / n;
  state.counters["load1"] = loadAverage();
}

void registerCases(AuditService& audit, const Workload& work) {
  auto add = [&](const std::string& name, int iterations, std::function<AuditQuery(size_t)> make,
                 bool walk) {
    benchmark::RegisterBenchmark(name.c_str(),
                                 [&audit, make = std::move(make), walk](benchmark::State& state) {
                                   runCase(state, audit, make, walk);
                                 })
        ->Iterations(iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  };
  // (a) who accessed record R, first page of 100.
  struct Tier {
    const char* name;
    const std::vector<RecordViews>* records;
    int iterations;
  };
  for (const Tier& tier : {Tier{"hot", &work.hot, 200}, Tier{"median", &work.median, 500},
                           Tier{"cold", &work.cold, 500}}) {
    for (int days : {30, 180}) {
      const std::vector<RecordViews>& records = *tier.records;
      add(
          std::string("record/") + tier.name + "/" + std::to_string(days) + "d", tier.iterations,
          [&work, &records, days](size_t i) {
            return recordQuery(work, records[i % records.size()].id, days);
          },
          false);
    }
  }
  // Fresh records: split between the two periods so that no record is asked twice.
  const size_t half = work.fresh.size() / 2;
  add(
      "record/fresh/30d", static_cast<int>(half),
      [&work](size_t i) { return recordQuery(work, work.fresh[i].id, 30); }, false);
  add(
      "record/fresh/180d", static_cast<int>(work.fresh.size() - half),
      [&work, half](size_t i) { return recordQuery(work, work.fresh[half + i].id, 180); }, false);

  // (b) one person's day, first page, then every page of the day; every page of a week.
  const int64_t day_ms = work.timeline_day_ms;
  const auto& people = work.day_people;
  add(
      "timeline/day/first-page", 400,
      [&people, day_ms](size_t i) {
        return timelineQuery(people[i % people.size()], day_ms, day_ms + kDayMs);
      },
      false);
  add(
      "timeline/day/all-pages", 400,
      [&people, day_ms](size_t i) {
        return timelineQuery(people[(i + 7) % people.size()], day_ms, day_ms + kDayMs);
      },
      true);
  add(
      "timeline/week/all-pages", 200,
      [&people, day_ms](size_t i) {
        return timelineQuery(people[(i + 13) % people.size()], day_ms - 6 * kDayMs,
                             day_ms + kDayMs);
      },
      true);

  // (c) exports of one day with personal data found (pii=1), first page, and every page.
  const auto& days = work.export_days_ms;
  add(
      "exports/day-pii/first-page", 100,
      [&days](size_t i) { return exportsQuery(days[i % days.size()], true); }, false);
  add(
      "exports/day-pii/all-pages", 40,
      [&days](size_t i) { return exportsQuery(days[i % days.size()], true); }, true);
}

// One line per tier: "hot C-1:812 C-2:790 ..." (record:views over the whole store), at most
// `per_tier` records each.
void printWorkload(const Workload& work, FILE* out, size_t per_tier) {
  auto tier = [&](const char* name, const std::vector<RecordViews>& records) {
    std::fprintf(out, "%s", name);
    for (size_t i = 0; i < std::min(records.size(), per_tier); ++i) {
      std::fprintf(out, " %s:%lld", records[i].id.c_str(),
                   static_cast<long long>(records[i].views));
    }
    std::fprintf(out, "\n");
  };
  std::fprintf(out, "now %s\n", day(work.now_ms).c_str());
  std::fprintf(out, "viewed_records %lld\n", static_cast<long long>(work.viewed_records));
  tier("hot", work.hot);
  tier("median", work.median);
  tier("cold", work.cold);
  tier("fresh", work.fresh);
  int64_t total = 0, most = 0;
  for (int64_t c : work.timeline_counts) {
    total += c;
    most = std::max(most, c);
  }
  std::fprintf(out, "timeline_day %s people %zu events_per_person_avg %.1f max %lld\n",
               day(work.timeline_day_ms).c_str(), work.day_people.size(),
               static_cast<double>(total) / static_cast<double>(work.day_people.size()),
               static_cast<long long>(most));
  std::fprintf(out, "people %s %s %s\n", work.day_people[0].c_str(),
               work.day_people[work.day_people.size() / 2].c_str(), work.day_people.back().c_str());
  std::fflush(out);
}

// The pages of a fixed set of questions, to show that two builds answer the same.
Status dumpAnswers(AuditService& audit, const Workload& work, const std::string& path) {
  std::ofstream out(path);
  auto ask = [&](const std::string& label, AuditQuery query) -> Status {
    out << "== " << label << "\n";
    // At most 6 pages: enough to cross page boundaries, and the slow build stays bearable.
    for (int page_number = 0; page_number < 6; ++page_number) {
      auto page = audit.queries.run(query);
      if (!page.isOk()) return page.status();
      out << page->items << "\nnext " << (page->next ? page->next->encode() : "null") << "\n";
      if (!page->next) return Status::ok();
      query.after = page->next;
    }
    return Status::ok();
  };
  for (const auto* tier : {&work.hot, &work.median, &work.cold, &work.fresh}) {
    for (size_t i = 0; i < std::min<size_t>(tier->size(), 3); ++i) {
      for (int days : {30, 180}) {
        AuditQuery query = recordQuery(work, (*tier)[i].id, days);
        VIGIE_RETURN_IF_ERROR(ask("record " + query.record_id + " " + std::to_string(days), query));
        query.limit = 7;
        VIGIE_RETURN_IF_ERROR(ask("record limit 7 " + query.record_id, query));
        query.brand = "acme-energie";
        VIGIE_RETURN_IF_ERROR(ask("record brand " + query.record_id, query));
      }
    }
  }
  for (size_t i = 0; i < std::min<size_t>(work.day_people.size(), 5); ++i) {
    const int64_t d = work.timeline_day_ms;
    AuditQuery query = timelineQuery(work.day_people[i], d - 6 * kDayMs, d + kDayMs);
    VIGIE_RETURN_IF_ERROR(ask("timeline week " + query.login, query));
    query.limit = 10;
    VIGIE_RETURN_IF_ERROR(ask("timeline week limit 10 " + query.login, query));
  }
  for (size_t i = 0; i < std::min<size_t>(work.export_days_ms.size(), 2); ++i) {
    for (bool pii : {true, false}) {
      AuditQuery query = exportsQuery(work.export_days_ms[i], pii);
      VIGIE_RETURN_IF_ERROR(ask("exports " + day(query.from_ms) + (pii ? " pii" : ""), query));
      query.team = "ventes";
      query.brand = "globex-telecom";
      VIGIE_RETURN_IF_ERROR(ask("exports team brand " + day(query.from_ms), query));
    }
  }
  return Status::ok();
}

int fail(const Status& status) {
  std::fprintf(stderr, "audit_query_bench: %s\n", status.toString().c_str());
  return 1;
}

int run(int argc, char** argv) {
  std::string store_dir;
  if (const char* env = std::getenv("VIGIE_AUDIT_STORE")) store_dir = env;
  bool print_only = false;
  std::string dump;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--store" && i + 1 < argc) {
      store_dir = argv[++i];
    } else if (arg == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (arg == "--print-records") {
      print_only = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_count, rest.data())) return 2;
  if (store_dir.empty()) {
    std::fprintf(stderr, "audit_query_bench: --store DIR (or VIGIE_AUDIT_STORE) is required\n");
    return 2;
  }
  auto store = locateStore(store_dir);
  if (!store.isOk()) return fail(store.status());
  const auto chosen_at = std::chrono::steady_clock::now();
  auto work = chooseWorkload(*store);
  if (!work.isOk()) return fail(work.status());
  if (print_only) {
    printWorkload(*work, stdout, 1000);
    return 0;
  }
  printWorkload(*work, stderr, 5);
  std::fprintf(stderr, "workload chosen in %.1f s; load %.2f\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - chosen_at).count(),
               loadAverage());
  auto audit = collector::openAuditService(store->file, store->key, platform::systemClock());
  if (!audit.isOk()) return fail(audit.status());
  if (!dump.empty()) {
    Status dumped = dumpAnswers(**audit, *work, dump);
    return dumped.isOk() ? 0 : fail(dumped);
  }
  registerCases(**audit, *work);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::fprintf(stderr, "load %.2f at the end\n", loadAverage());
  return 0;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::run(argc, argv); }
