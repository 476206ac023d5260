// vigie-agent: the workstation service and its local inspection commands.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "command_line.h"
#include "vigie/agent/agent_service.h"
#include "vigie/crypto/hmac_chain.h"
#include "vigie/crypto/key_store.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/platform/local_socket.h"
#include "vigie/protocol/json_codec.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/version.h"

namespace vigie::agent {
namespace {

constexpr char kUsage[] = R"(Usage: vigie-agent COMMAND [OPTIONS]

Vigie's workstation service. It records metadata of what is done with customer data on this
workstation (which CRM record was viewed, copies, exports, prints; never content, keystrokes or
screenshots) into an encrypted local queue, chained so that tampering shows.

Commands:
  enroll  Enroll this workstation with a collector (once; needs the site's secret).
            --collector URL    https://HOST:PORT of the collector (required)
            --ca-file FILE     the collector's CA certificate, from the installer (required)
            --secret-file FILE file holding the enrollment secret (required)
            --data-dir DIR     (default /var/lib/vigie-agent)
            --device-id ID     (default dev-<hostname>)
            --reenroll         replace the certificate of a device the collector already knows
  run     Run the service in the foreground until SIGTERM or SIGINT. Once enrolled, it uploads
          the queue to the collector (mutual TLS, the enrolled CA only) and deletes events only
          when the collector has acknowledged them; not enrolled, events stay queued. Enrolled,
          it also sends the collector a heartbeat at start and every interval (version, OS,
          policy in force, queue depth and oldest event, drops, last upload, session sensors),
          on a connection of its own.
            --data-dir DIR     keys, queue, enrollment (default /var/lib/vigie-agent), 0700
            --socket PATH      where session sensors connect (default /run/vigie-agent/agent.sock)
            --device-id ID     device id stamped on events (default: enrolled id, else
                               dev-<hostname>)
            --max-events N     queue bound in events (default 2000000)
            --max-mb N         queue bound in MiB (default 512)
            --max-age-days N   events older than this are purged and counted (default 30)
            --batch-events N   events per upload batch at most (default 2000)
            --linger-ms N      a batch that is not full waits this long (default 1000)
            --heartbeat-seconds N  how often the service sends the collector a heartbeat
                               and asks it for the workstation policy (default 60; see
                               docs/fleet.md). A policy signed by the collector replaces
                               --batch-events, --linger-ms, --max-age-days and this with its
                               own values, without a restart, and publishes its session rules
                               beside the socket (policy.json) for the sensors
  send    Send events to a running service: one draft per line on standard input,
          {"type":"crm.view","session":"2","data":{...}} (see docs/events.md). Prints the
          service's reply to each line ("ok <seq>" or "error <reason>").
            --socket PATH      (default /run/vigie-agent/agent.sock)
  show    Print the queued events and verify their chain (needs read access to the keys).
            --data-dir DIR     (default /var/lib/vigie-agent)
            --json             print the stored JSON lines instead of a table
            --limit N          print at most N events (the chain is still verified in full)
  help    Print this help.   version   Print the version.

Exit status: 0 on success, 1 on an error (the message says which), 2 on bad usage,
3 when `show` finds the chain broken.
)";

constexpr char kDefaultDataDir[] = "/var/lib/vigie-agent";
constexpr char kDefaultSocket[] = "/run/vigie-agent/agent.sock";

int usageError(const Status& status) {
  std::cerr << "vigie-agent: " << status.message() << "\nTry 'vigie-agent help'.\n";
  return 2;
}

int failure(const Status& status) {
  std::cerr << "vigie-agent: " << status.toString() << "\n";
  return 1;
}

int runService(const cli::Options& options) {
  AgentConfig config;
  config.data_dir = options.text("data-dir", kDefaultDataDir);
  config.socket_path = options.text("socket", kDefaultSocket);
  config.device_id = options.text("device-id", "");
  auto max_events = options.number("max-events", config.limits.max_events, 100, 1ull << 40);
  auto max_mb = options.number("max-mb", config.limits.max_bytes >> 20, 1, 1ull << 20);
  auto max_age_days = options.number("max-age-days", 30, 1, 3650);
  for (const Status& status : {max_events.status(), max_mb.status(), max_age_days.status()}) {
    if (!status.isOk()) return usageError(status);
  }
  config.limits.max_events = *max_events;
  config.limits.max_bytes = *max_mb << 20;
  config.limits.max_age_ms = static_cast<int64_t>(*max_age_days) * 24 * 3600 * 1000;
  auto batch_events = options.number("batch-events", config.upload.batch_events, 1, 20'000);
  auto linger_ms = options.number("linger-ms", 1000, 0, 600'000);
  auto heartbeat_seconds = options.number("heartbeat-seconds", 60, 1, 3600);
  for (const Status& status :
       {batch_events.status(), linger_ms.status(), heartbeat_seconds.status()}) {
    if (!status.isOk()) return usageError(status);
  }
  config.upload.batch_events = *batch_events;
  config.upload.linger_ms = static_cast<int64_t>(*linger_ms);
  config.heartbeat_interval = std::chrono::seconds(static_cast<int64_t>(*heartbeat_seconds));

  // Signals are taken synchronously by this thread; every thread started later inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = AgentService::start(config, platform::systemClock());
  if (!service.isOk()) return failure(service.status());
  const QueueStats stats = (*service)->queue().stats();
  std::cerr << "vigie-agent " << kVersion << ": recording to " << queuePath(config.data_dir)
            << " (events queued: " << stats.events << "); sensors connect to " << config.socket_path
            << "\n";
  if (const auto& enrollment = (*service)->enrollment()) {
    std::cerr << "vigie-agent: uploading to " << enrollment->collector_url << " as "
              << enrollment->device_id << "\n";
  } else {
    std::cerr << "vigie-agent: not enrolled; events stay queued until `vigie-agent enroll`\n";
  }
  // Age purge once at start, then hourly, on a timer woken by sigtimedwait.
  int signal = 0;
  while (true) {
    const Status purged = (*service)->purgeExpired();
    if (!purged.isOk()) std::cerr << "vigie-agent: purge failed: " << purged.toString() << "\n";
    timespec hour{3600, 0};
    signal = sigtimedwait(&signals, nullptr, &hour);
    if (signal == SIGTERM || signal == SIGINT) break;
  }
  (*service)->stop(signal == SIGTERM ? "SIGTERM" : "SIGINT");
  std::cerr << "vigie-agent: stopped\n";
  return 0;
}

int enrollDevice(const cli::Options& options) {
  EnrollmentSettings settings;
  settings.collector_url = options.text("collector", "");
  settings.ca_file = options.text("ca-file", "");
  const std::string secret_file = options.text("secret-file", "");
  if (settings.collector_url.empty() || settings.ca_file.empty() || secret_file.empty()) {
    return usageError(
        Status::invalidArgument("enroll needs --collector, --ca-file and --secret-file"));
  }
  settings.device_id = options.text("device-id", defaultDeviceId());
  settings.reenroll = options.flag("reenroll");
  auto secret = platform::readOneLineFile(secret_file, 1024);
  if (!secret.isOk()) return failure(secret.status());
  settings.secret = std::move(secret).value();

  const std::string data_dir = options.text("data-dir", kDefaultDataDir);
  Status dir = platform::createPrivateDirectory(data_dir);
  if (!dir.isOk()) return failure(dir);
  auto chain_key = crypto::newFileKeyStore(keysDirectory(data_dir))->loadOrCreate("chain");
  if (!chain_key.isOk()) return failure(chain_key.status());
  auto enrolled = enroll(data_dir, settings, *chain_key);
  if (!enrolled.isOk()) return failure(enrolled.status());
  std::cout << "enrolled " << enrolled->device_id << " with " << enrolled->collector_url
            << "; restart the service to start uploading\n";
  return 0;
}

int sendDrafts(const cli::Options& options) {
  auto stream = platform::connectLocal(options.text("socket", kDefaultSocket));
  if (!stream.isOk()) return failure(stream.status());
  // Read replies on a second thread so that large inputs never deadlock on full socket buffers.
  int errors = 0;  // written by the reader thread only, read after join()
  std::thread reader([&] {
    std::string pending;
    char chunk[4096];
    while (true) {
      auto got = (*stream)->read(chunk, sizeof chunk);
      if (!got.isOk() || *got == 0) break;
      pending.append(chunk, *got);
      for (size_t newline; (newline = pending.find('\n')) != std::string::npos;) {
        const std::string reply = pending.substr(0, newline);
        pending.erase(0, newline + 1);
        if (reply.rfind("ok ", 0) != 0) ++errors;
        std::cout << reply << "\n";
      }
    }
  });
  Status write_status;
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty()) continue;
    line += '\n';
    write_status = (*stream)->writeAll(line);
    if (!write_status.isOk()) break;
  }
  // The service answers every line it has read before it sees end of input, then closes.
  (*stream)->closeWrite();
  reader.join();
  std::cout.flush();
  if (!write_status.isOk()) return failure(write_status);
  return errors == 0 ? 0 : 1;
}

// True when every sequence number in [first, last] lies in one of `ranges`.
bool coveredBy(std::vector<std::pair<uint64_t, uint64_t>> ranges, uint64_t first, uint64_t last) {
  std::sort(ranges.begin(), ranges.end());
  uint64_t next = first;  // lowest number not yet shown to be covered
  for (const auto& [low, high] : ranges) {
    if (low > next) break;
    if (high >= next) next = high + 1;
    if (next > last) return true;
  }
  return next > last;
}

int showQueue(const cli::Options& options) {
  const std::string data_dir = options.text("data-dir", kDefaultDataDir);
  auto limit = options.number("limit", UINT64_MAX, 0, UINT64_MAX);
  if (!limit.isOk()) return usageError(limit.status());
  auto keys = crypto::newFileKeyStore(keysDirectory(data_dir));
  auto database_key = keys->load("queue");
  if (!database_key.isOk()) return failure(database_key.status());
  auto chain_key = keys->load("chain");
  if (!chain_key.isOk()) return failure(chain_key.status());
  auto queue = EventQueue::openForReading(queuePath(data_dir), *database_key);
  if (!queue.isOk()) return failure(queue.status());

  const bool as_json = options.flag("json");
  std::optional<crypto::ChainVerifier> verifier;
  std::optional<crypto::ChainBreak> broken;
  std::vector<std::pair<uint64_t, uint64_t>> missing;  // holes in the chain, [first, last]
  std::vector<std::pair<uint64_t, uint64_t>> dropped;  // ranges agent.gap events account for
  uint64_t shown = 0, total = 0, first_seq = 0, last_seq = 0;
  Status decode_status;
  const Status read_status = (*queue)->forEach([&](const LeasedEvent& row) {
    auto event = protocol::eventFromJson(row.json);
    if (!event.isOk()) {
      decode_status = event.status().withContext("event " + std::to_string(row.seq));
      return false;
    }
    if (!verifier) {
      // The queue holds the unacknowledged tail of the chain: verify from its first event on.
      verifier.emplace(*chain_key, event->seq - 1, event->prev);
      first_seq = event->seq;
    }
    const uint64_t previous = verifier->lastSeq();
    if (auto found = verifier->check(*event)) {
      if (found->kind == crypto::ChainBreak::Kind::kGap) {
        missing.emplace_back(previous + 1, event->seq - 1);
      } else if (!broken) {
        broken = found;
      }
    }
    if (const auto* gap = std::get_if<protocol::AgentGap>(&event->data); gap && gap->first_seq) {
      dropped.emplace_back(gap->first_seq, gap->last_seq);
    }
    last_seq = event->seq;
    ++total;
    if (shown < *limit) {
      ++shown;
      if (as_json) {
        std::cout << row.json << "\n";
      } else {
        std::printf("%8llu  %s  %-16s %-20s %s\n", static_cast<unsigned long long>(event->seq),
                    protocol::formatUtcMillis(event->time_ms).c_str(), event->user.c_str(),
                    std::string(protocol::typeName(event->type)).c_str(),
                    protocol::dataToJson(event->data).c_str());
      }
    }
    return true;
  });
  std::cout.flush();
  if (!read_status.isOk()) return failure(read_status);
  if (!decode_status.isOk()) return failure(decode_status);
  // A hole is expected where the queue dropped events by policy and said so in an agent.gap.
  for (const auto& [first, last] : missing) {
    if (!broken && !coveredBy(dropped, first, last)) {
      broken = crypto::ChainBreak{crypto::ChainBreak::Kind::kGap, last + 1,
                                  "events " + std::to_string(first) + ".." + std::to_string(last) +
                                      " are missing and no agent.gap accounts for them"};
    }
  }
  if (broken) {
    std::cerr << "vigie-agent: chain BROKEN at seq " << broken->seq << " ("
              << crypto::kindName(broken->kind) << "): " << broken->detail << "\n";
    return 3;
  }
  if (total == 0) {
    std::cerr << "vigie-agent: the queue is empty\n";
  } else {
    std::cerr << "vigie-agent: " << total << " events queued (seq " << first_seq << ".." << last_seq
              << "), chain verified";
    if (!missing.empty()) std::cerr << "; " << missing.size() << " hole(s) left by recorded drops";
    std::cerr << "\n";
  }
  return 0;
}

int dispatch(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "version" || command == "--version") {
    std::cout << "vigie-agent " << kVersion << "\n";
    return 0;
  }
  if (command == "run") {
    auto options =
        cli::Options::parse(rest,
                            {"data-dir", "socket", "device-id", "max-events", "max-mb",
                             "max-age-days", "batch-events", "linger-ms", "heartbeat-seconds"},
                            {});
    return options.isOk() ? runService(*options) : usageError(options.status());
  }
  if (command == "enroll") {
    auto options = cli::Options::parse(
        rest, {"collector", "ca-file", "secret-file", "data-dir", "device-id"}, {"reenroll"});
    return options.isOk() ? enrollDevice(*options) : usageError(options.status());
  }
  if (command == "send") {
    auto options = cli::Options::parse(rest, {"socket"}, {});
    return options.isOk() ? sendDrafts(*options) : usageError(options.status());
  }
  if (command == "show") {
    auto options = cli::Options::parse(rest, {"data-dir", "limit"}, {"json"});
    return options.isOk() ? showQueue(*options) : usageError(options.status());
  }
  return usageError(Status::invalidArgument("unknown command " + command));
}

}  // namespace
}  // namespace vigie::agent

int main(int argc, char** argv) {
  return vigie::agent::dispatch(std::vector<std::string>(argv + 1, argv + argc));
}
