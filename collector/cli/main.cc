// vigie-collector: the central HTTPS service (enrollment, batch ingest) and its admin commands.
#include <Poco/Exception.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <csignal>
#include <iostream>
#include <optional>

#include "api/json_out.h"
#include "audit/audit_service.h"
#include "audit/purge_timer.h"
#include "cli/store_choice.h"
#include "detect/alert_dispatcher.h"
#include "detect/detection_config.h"
#include "detect/realtime_detection.h"
#include "detect/retro_runs.h"
#include "detect/workstation_silence.h"
#include "vigie/collector/batch_ingestor.h"
#include "vigie/collector/collector_home.h"
#include "vigie/collector/collector_server.h"
#include "vigie/collector/enrollment_service.h"
#include "vigie/collector/event_store.h"
#include "vigie/platform/clock.h"
#include "vigie/platform/host_name.h"
#include "vigie/protocol/json_codec.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/version.h"

namespace vigie::collector {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

constexpr char kDescription[] =
    "Vigie's central collector: enrolls workstations, receives their event batches over mutual "
    "TLS, verifies each device's HMAC chain and stores every event exactly once in an encrypted "
    "embedded store, or in a PostgreSQL database several collectors share (--store). It also "
    "serves the audit API and the web console (/console/) to accounts "
    "made with --add-account. On first start it creates, in the data directory, its CA, its server "
    "certificate, the enrollment secret (enrollment.secret, for installers) and the store key. "
    "Settings come from --config FILE (keys collector.data_dir, collector.store, collector.listen, "
    "collector.server_names, collector.max_threads), overridden by the options below. Detection "
    "rules' thresholds and alert outputs come from detection.json in the data directory (see "
    "docs/detection.md); without it, the defaults apply. Logs never contain the secret, keys or "
    "event contents.";

std::vector<std::string> splitNames(const std::string& text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string name = text.substr(start, comma - start);
    if (!name.empty()) names.push_back(std::move(name));
    start = comma + 1;
  }
  return names;
}

class CollectorApplication final : public Poco::Util::ServerApplication {
 public:
  using ServerApplication::run;  // run() after init(): option errors are ours to report

 protected:
  void defineOptions(OptionSet& options) override {
    ServerApplication::defineOptions(options);
    auto add = [&](const char* name, const char* help, const char* argument, const char* key) {
      Option option(name, "", help);
      option.required(false).repeatable(false);
      if (argument != nullptr) option.argument(argument);
      if (key != nullptr) option.binding(key);
      options.addOption(option);
    };
    add("help", "print this help and exit", nullptr, nullptr);
    add("version", "print the version and exit", nullptr, nullptr);
    add("config", "read settings from FILE (.properties or .ini)", "FILE", nullptr);
    add("data-dir", "data directory (default /var/lib/vigie-collector), created 0700", "DIR",
        "collector.data_dir");
    add("store",
        "where events and audit tables are kept: 'embedded' (default; store.db in the data "
        "directory, encrypted) or postgresql://USER@HOST:PORT/DATABASE, shared by collectors "
        "that also share the data directory's CA, certificates, secret and keys; the password "
        "comes from PGPASSFILE or ~/.pgpass, never the URI",
        "URI", "collector.store");
    add("listen", "address and port to serve HTTPS on (default 0.0.0.0:8443; port 0: any free)",
        "HOST:PORT", "collector.listen");
    add("server-names",
        "comma-separated names for a new server certificate (default localhost,127.0.0.1,<host>)",
        "NAMES", "collector.server_names");
    add("max-threads", "agents served at once, one thread each (default 128)", "N",
        "collector.max_threads");
    add("heartbeat-seconds",
        "the heartbeat interval agents are told and expected to keep (default 60)", "N",
        "collector.fleet.heartbeat_seconds");
    add("late-grace-seconds",
        "a workstation is late after 2 heartbeat intervals and this (default 30)", "N",
        "collector.fleet.late_grace_seconds");
    add("silent-seconds", "a workstation is silent after this long without heartbeat (default 600)",
        "N", "collector.fleet.silent_seconds");
    add("list-devices", "print the enrolled devices and exit", nullptr, nullptr);
    add("revoke-device", "revoke device ID (its batches get 403) and exit", "ID", nullptr);
    add("print-events", "print the stored events of device ID (or 'all'), oldest first, and exit",
        "ID", nullptr);
    add("print-incidents", "print the integrity incidents and exit", nullptr, nullptr);
    add("add-account",
        "create audit API account NAME (password: one line on standard input, 12+ characters) "
        "and exit; needs --role",
        "NAME", nullptr);
    add("role", "with --add-account: admin, auditor, dpo, fleet or integration", "ROLE", nullptr);
    add("brand", "with --add-account: bind the account to client brand B", "B", nullptr);
  }

  void handleOption(const std::string& name, const std::string& value) override {
    ServerApplication::handleOption(name, value);
    if (name == "help" || name == "version") {
      command_ = name;
      stopOptionsProcessing();
    } else if (name == "config") {
      loadConfiguration(value);
    } else if (name == "role") {
      role_ = value;
    } else if (name == "brand") {
      brand_ = value;
    } else if (name == "list-devices" || name == "revoke-device" || name == "print-events" ||
               name == "print-incidents" || name == "add-account") {
      command_ = name;
      command_argument_ = value;
    }
  }

  int main(const std::vector<std::string>& arguments) override {
    if (!arguments.empty()) return usage("unexpected argument '" + arguments.front() + "'");
    if (command_ == "help") {
      Poco::Util::HelpFormatter help(options());
      help.setCommand("vigie-collector");
      help.setUsage("[OPTIONS]");
      help.setHeader(kDescription);
      help.setFooter(
          "Exit status: 0 on success, 1 on an error (the message says which), 2 on bad usage.");
      help.format(std::cout);
      return 0;
    }
    if (command_ == "version") {
      std::cout << "vigie-collector " << kVersion << "\n";
      return 0;
    }
    const std::string data_dir =
        config().getString("collector.data_dir", "/var/lib/vigie-collector");
    if (!command_.empty()) return runAdminCommand(data_dir);
    return serve(data_dir);
  }

 private:
  int fail(const Status& status) {
    std::cerr << "vigie-collector: " << status.toString() << "\n";
    return 1;
  }

  std::string storeSetting() { return config().getString("collector.store", "embedded"); }

  int usage(const std::string& message) {
    std::cerr << "vigie-collector: " << message << "\nTry 'vigie-collector --help'.\n";
    return 2;
  }

  // Settings from the configuration file and the command line, checked before anything is
  // created.
  std::optional<ServerOptions> serverOptions(std::string& error) {
    ServerOptions options;
    const std::string listen = config().getString("collector.listen", "0.0.0.0:8443");
    const size_t colon = listen.rfind(':');
    const std::string port_text = colon == std::string::npos ? "" : listen.substr(colon + 1);
    const bool digits = !port_text.empty() && port_text.size() <= 5 &&
                        port_text.find_first_not_of("0123456789") == std::string::npos;
    if (colon == 0 || !digits || std::stoi(port_text) > 65535) {
      error = "--listen expects HOST:PORT, got '" + listen + "'";
      return std::nullopt;
    }
    options.host = listen.substr(0, colon);
    options.port = static_cast<uint16_t>(std::stoi(port_text));
    int max_threads = 0;
    try {
      max_threads = config().getInt("collector.max_threads", 128);
    } catch (const Poco::Exception&) {
      max_threads = -1;
    }
    if (max_threads < 1 || max_threads > 4096) {
      error = "--max-threads expects a number in 1..4096";
      return std::nullopt;
    }
    options.max_threads = max_threads;
    return options;
  }

  // The fleet view's thresholds (docs/fleet.md), checked like the server options.
  std::optional<FleetSettings> fleetSettings(std::string& error) {
    FleetSettings settings;
    const struct {
      const char* key;
      const char* option;
      int64_t* value;
      int low;
      int high;
    } knobs[] = {
        {"collector.fleet.heartbeat_seconds", "--heartbeat-seconds", &settings.heartbeat_seconds, 1,
         3600},
        {"collector.fleet.late_grace_seconds", "--late-grace-seconds", &settings.late_grace_seconds,
         0, 3600},
        {"collector.fleet.silent_seconds", "--silent-seconds", &settings.silent_seconds, 1,
         7 * 86400},
    };
    for (const auto& knob : knobs) {
      int value = -1;
      try {
        value = config().getInt(knob.key, static_cast<int>(*knob.value));
      } catch (const Poco::Exception&) {
        value = -1;
      }
      if (value < knob.low || value > knob.high) {
        error = std::string(knob.option) + " expects a number in " + std::to_string(knob.low) +
                ".." + std::to_string(knob.high);
        return std::nullopt;
      }
      *knob.value = value;
    }
    return settings;
  }

  int serve(const std::string& data_dir) {
    std::string error;
    const auto server_options = serverOptions(error);
    if (!server_options) return usage(error);
    const auto fleet_settings = fleetSettings(error);
    if (!fleet_settings) return usage(error);
    auto home = prepareHome(data_dir);
    if (!home.isOk()) return fail(home.status());

    platform::Clock& clock = platform::systemClock();
    auto stores = openCollectorStores(storeSetting(), *home, clock.nowUnixMillis());
    if (!stores.isOk()) return fail(stores.status());
    EventStorePtr& store = stores->events;
    EnrollmentService enrollment(*store, home->authority, home->enrollment_secret, clock);
    auto audit = openAuditService(std::move(stores->audit), home->store_key, clock);
    if (!audit.isOk()) return fail(audit.status());
    PurgeTimer purge_timer(**audit, std::chrono::hours(1));
    auto detection_config = loadDetectionConfig(data_dir + "/detection.json");
    if (!detection_config.isOk()) return fail(detection_config.status());
    AuditService& service = **audit;
    if (PostgresStore* postgres = stores->postgres) {
      // Retention as a partition drop: months no event class keeps any more go whole.
      service.retention.setEventSpanDropper(
          [postgres](int64_t before_ms) { return postgres->dropMonthsReceivedBefore(before_ms); });
    }
    service.detection_policy = detection_config->rules;
    service.fleet_settings = *fleet_settings;
    const DetectionInputs inputs{service.calls, service.shifts, service.watchlist,
                                 service.directory, service.alerts};
    auto outputs = makeAlertOutputs(detection_config->outputs);
    if (!outputs.isOk()) return fail(outputs.status());
    // Declared before what raises alerts, so that it is stopped after them.
    AlertDispatcher dispatcher(service.alerts, service.pseudonyms, std::move(outputs).value());
    // Declared before the detection that ticks it, so that it is destroyed after it.
    WorkstationSilence silence(service.detection_policy.workstation_silent, service.fleet_settings,
                               service.heartbeats, service.directory, service.alerts);
    auto realtime = RealtimeDetection::start(
        service.detection_policy, inputs, *store, clock, [&dispatcher] { dispatcher.wake(); },
        std::chrono::seconds(detection_config->tick_seconds));
    if (!realtime.isOk()) return fail(realtime.status());
    (*realtime)->watchWorkstations(&silence);
    RetroRuns runs(*store, *service.db, service.detection_policy, inputs, clock,
                   [&dispatcher] { dispatcher.wake(); });
    service.runs = &runs;
    service.signer = &home->authority;
    BatchIngestor ingestor(*store, clock, realtime->get());
    auto server = CollectorServer::start(
        *home, *server_options, ServerServices{*store, enrollment, ingestor, audit->get()});
    if (!server.isOk()) return fail(server.status());
    std::cout << "vigie-collector " << kVersion << " listening on https://" << server_options->host
              << ":" << (*server)->port() << " (data in " << data_dir << ", CA fingerprint "
              << enrollment.caFingerprint() << ")" << std::endl;
    waitForTerminationRequest();
    std::cout << "vigie-collector stopping" << std::endl;
    server->reset();
    service.runs = nullptr;
    service.signer = nullptr;
    return 0;
  }

  // Creates what a first start would (CA, certificates, secret, store key) when missing.
  StatusOr<CollectorHome> prepareHome(const std::string& data_dir) {
    HomeOptions home_options;
    home_options.data_dir = data_dir;
    const std::string default_names = "localhost,127.0.0.1," + platform::hostName();
    home_options.server_names =
        splitNames(config().getString("collector.server_names", default_names));
    return prepareCollectorHome(home_options);
  }

  int runAdminCommand(const std::string& data_dir) {
    // The first account is usually made before the first start.
    auto home = command_ == "add-account" ? prepareHome(data_dir) : openCollectorHome(data_dir);
    if (!home.isOk()) return fail(home.status());
    auto stores =
        openCollectorStores(storeSetting(), *home, platform::systemClock().nowUnixMillis());
    if (!stores.isOk()) return fail(stores.status());
    EventStorePtr& store = stores->events;
    if (command_ == "add-account") return addAccount(std::move(stores->audit), home->store_key);
    if (command_ == "revoke-device") {
      Status revoked = store->setRevoked(command_argument_, true);
      if (!revoked.isOk()) return fail(revoked);
      std::cout << "revoked " << command_argument_ << "\n";
      return 0;
    }
    if (command_ == "list-devices") {
      auto devices = store->listDevices();
      if (!devices.isOk()) return fail(devices.status());
      for (const DeviceRecord& device : *devices) {
        auto head = store->chainHead(device.device_id);
        std::cout << device.device_id << "\thost=" << device.hostname
                  << "\tenrolled=" << protocol::formatUtcMillis(device.enrolled_ms)
                  << "\tlast_seq=" << (head.isOk() ? head->last_seq : 0)
                  << (device.revoked ? "\trevoked" : "") << "\n";
      }
      return 0;
    }
    if (command_ == "print-incidents") {
      auto incidents = store->incidents(std::nullopt);
      if (!incidents.isOk()) return fail(incidents.status());
      if (incidents->empty()) std::cout << "(no integrity incident)\n";
      for (const Incident& incident : *incidents) {
        std::cout << protocol::formatUtcMillis(incident.detected_ms) << "\t" << incident.device_id
                  << "\tseq=" << incident.seq << "\t" << incident.kind
                  << (incident.explained ? " (explained by agent.gap)" : "") << "\t"
                  << incident.detail << "\n";
      }
      return 0;
    }
    EventQuery query;
    if (command_argument_ != "all") query.device_id = command_argument_;
    Status printed = store->forEachEvent(query, [](const StoredEvent& stored) {
      const protocol::Event& event = stored.event;
      std::cout << protocol::formatUtcMillis(event.time_ms) << "  " << event.device << "  #"
                << event.seq << "  " << event.user << "  " << protocol::typeName(event.type) << "  "
                << protocol::dataToJson(event.data);
      if (stored.integrity != Integrity::kOk) {
        std::cout << "  [integrity: " << integrityName(stored.integrity) << "]";
      }
      std::cout << "\n";
      return true;
    });
    return printed.isOk() ? 0 : fail(printed);
  }

  // The first admin account is made here, by whoever can read the data directory; the rest
  // through the API.
  int addAccount(std::unique_ptr<AuditDb> db, const crypto::SecretKey& store_key) {
    const auto role = roleFromName(role_);
    if (!role) return usage("--add-account needs --role admin, auditor, dpo, fleet or integration");
    std::string password;
    if (!std::getline(std::cin, password)) {
      return usage("--add-account reads the password from standard input: none given");
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    auto audit = openAuditService(std::move(db), store_key, platform::systemClock());
    if (!audit.isOk()) return fail(audit.status());
    Status added = (*audit)->accounts.add(command_argument_, password, *role, brand_);
    if (!added.isOk()) return fail(added);
    const std::string detail = api::JsonOut()
                                   .text("user", command_argument_)
                                   .text("role", role_)
                                   .text("brand", brand_)
                                   .done();
    Status recorded =
        (*audit)->trail.append("local administrator", "", "", "account.add", detail, 201);
    if (!recorded.isOk()) return fail(recorded);
    std::cout << "account " << command_argument_ << " (" << role_
              << (brand_.empty() ? "" : ", brand " + brand_) << ") created\n";
    return 0;
  }

  std::string command_;
  std::string command_argument_;
  std::string role_;
  std::string brand_;
};

}  // namespace
}  // namespace vigie::collector

int main(int argc, char** argv) {
  // A peer that closes its connection (an agent, a browser, an alert receiver) must fail one
  // write, not end the process.
  std::signal(SIGPIPE, SIG_IGN);
  vigie::collector::CollectorApplication application;
  try {
    application.init(argc, argv);
  } catch (const Poco::Exception& error) {
    std::cerr << "vigie-collector: " << error.displayText() << "\nTry 'vigie-collector --help'.\n";
    return 2;
  }
  return application.run();
}
