#include "vigie/agent/agent_service.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "vigie/crypto/key_store.h"
#include "vigie/crypto/random.h"
#include "vigie/crypto/uuid_generator.h"
#include "vigie/crypto/x509.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/platform/host_name.h"
#include "vigie/platform/local_time.h"
#include "vigie/platform/os_name.h"
#include "vigie/platform/peer_identity.h"
#include "vigie/protocol/json_codec.h"
#include "vigie/protocol/utf8.h"
#include "vigie/version.h"

namespace vigie::agent {
namespace {

void logLine(const std::string& line) { std::fprintf(stderr, "vigie-agent: %s\n", line.c_str()); }

}  // namespace

std::string keysDirectory(const std::string& data_dir) { return data_dir + "/keys"; }
std::string queuePath(const std::string& data_dir) { return data_dir + "/queue.db"; }

std::string defaultDeviceId() {
  const std::string host = platform::hostName();
  return "dev-" + (host.empty() ? std::string("unknown") : host);
}

StatusOr<std::unique_ptr<AgentService>> AgentService::start(const AgentConfig& config,
                                                            platform::Clock& clock) {
  VIGIE_RETURN_IF_ERROR(platform::createPrivateDirectory(config.data_dir));
  auto keys = crypto::newFileKeyStore(keysDirectory(config.data_dir));
  auto database_key = keys->loadOrCreate("queue");
  if (!database_key.isOk()) return database_key.status();
  auto chain_key = keys->loadOrCreate("chain");
  if (!chain_key.isOk()) return chain_key.status();

  auto enrollment = loadEnrollment(config.data_dir);
  if (!enrollment.isOk()) return enrollment.status();
  std::string device_id = config.device_id.empty() ? defaultDeviceId() : config.device_id;
  if (enrollment->has_value()) {
    if (!config.device_id.empty() && config.device_id != (*enrollment)->device_id) {
      return Status::invalidArgument("this agent is enrolled as " + (*enrollment)->device_id +
                                     ", not " + config.device_id);
    }
    device_id = (*enrollment)->device_id;
  }

  std::unique_ptr<AgentService> service(new AgentService());
  service->clock_ = &clock;
  service->config_ = config;
  service->interval_ = config.heartbeat_interval;
  service->user_ = platform::userNameOf(::geteuid());
  service->enrollment_ = std::move(enrollment).value();
  QueueOptions options;
  options.path = queuePath(config.data_dir);
  options.device_id = device_id;
  options.database_key = *database_key;
  options.chain_key = *chain_key;
  options.limits = config.limits;
  options.clock = &clock;
  auto queue = EventQueue::open(std::move(options));
  if (!queue.isOk()) return queue.status();
  service->queue_ = std::move(queue).value();

  VIGIE_RETURN_IF_ERROR(service->recordOwnEvent(protocol::EventType::kAgentStart,
                                                protocol::AgentStart{std::string(kVersion)}));

  const auto socket_dir = std::filesystem::path(config.socket_path).parent_path();
  std::error_code error;
  if (!socket_dir.empty()) std::filesystem::create_directories(socket_dir, error);
  // Any local user may connect: what they send is stamped with who they are.
  auto listener = platform::listenLocal(config.socket_path, 0666);
  if (!listener.isOk()) return listener.status();
  service->intake_ = std::make_unique<EventIntake>(*service->queue_);
  service->journal_ = std::make_unique<UserJournal>(clock, platform::processTimeZone());
  service->server_ = std::make_unique<SensorServer>(std::move(listener).value(), *service->intake_,
                                                    *service->journal_, clock);
  if (service->enrollment_) {
    VIGIE_RETURN_IF_ERROR(service->startUploader(config, *chain_key));
    // The kept policy first: the first heartbeat reports it, at its interval.
    VIGIE_RETURN_IF_ERROR(service->startPolicy(config));
    VIGIE_RETURN_IF_ERROR(service->startHeartbeat());
  }
  return service;
}

Status AgentService::startPolicy(const AgentConfig& config) {
  remote_policy_ = std::make_unique<RemotePolicy>(
      RemotePolicyPaths{enrollment_->ca_file, config.data_dir + "/policy",
                        policy::publishedPolicyPath(config.socket_path)});
  auto refused = [this](const std::string& reason) {
    (void)recordOwnEvent(
        protocol::EventType::kAgentIntegrity,
        protocol::AgentIntegrity{protocol::IntegrityIncident::kPolicyRefused,
                                 protocol::truncateUtf8(reason, 4096), std::nullopt});
  };
  auto kept = remote_policy_->loadKept();
  if (!kept.isOk()) {
    // The service runs on without it: the sensors fall back to their local policy.
    logLine("kept policy not applied: " + kept.status().toString());
    refused(kept.status().message());
  }
  auto transport = newCurlTransport(enrollment_->tls());
  if (!transport.isOk()) return transport.status();
  policy_puller_ = std::make_unique<PolicyPuller>(
      *remote_policy_, std::move(transport).value(), config.heartbeat_interval.count(),
      [this](const policy::WorkstationPolicy& policy) { applyPolicy(policy); }, std::move(refused),
      logLine);
  if (kept.isOk() && kept->has_value()) applyPolicy(**kept);
  policy_puller_->start();
  return Status::ok();
}

void AgentService::applyPolicy(const policy::WorkstationPolicy& policy) {
  if (uploader_) {
    uploader_->setBatching(policy.batch_events.value_or(config_.upload.batch_events),
                           policy.linger_ms.value_or(config_.upload.linger_ms));
  }
  queue_->setMaxAge(policy.queue_max_age_days ? *policy.queue_max_age_days * 24 * 3600 * 1000
                                              : config_.limits.max_age_ms);
  const std::chrono::milliseconds interval = policy.heartbeat_seconds
                                                 ? std::chrono::seconds(*policy.heartbeat_seconds)
                                                 : config_.heartbeat_interval;
  interval_ = interval;
  if (policy_puller_) policy_puller_->setInterval(interval.count());
  if (heartbeat_) heartbeat_->setInterval(interval);
  std::fprintf(stderr, "vigie-agent: workstation policy %llu (%s) in force\n",
               static_cast<unsigned long long>(policy.serial), policy.version.c_str());
  (void)recordOwnEvent(protocol::EventType::kAgentPolicy,
                       protocol::AgentPolicy{policy.version, policy.serial});
}

protocol::HeartbeatPolicy AgentService::policyState() const {
  return remote_policy_ ? remote_policy_->state() : protocol::HeartbeatPolicy{};
}

Status AgentService::startUploader(const AgentConfig& config, const crypto::SecretKey& chain_key) {
  auto transport = newCurlTransport(enrollment_->tls());
  if (!transport.isOk()) return transport.status();
  transport_ = std::move(transport).value();
  UploaderOptions options = config.upload;
  if (options.clock == nullptr) options.clock = clock_;
  auto reenroll_with_stored_secret = [this, data_dir = config.data_dir, chain_key] {
    auto renewed = reenroll(data_dir, *enrollment_, chain_key);
    return renewed.status();
  };
  std::array<uint8_t, 8> seed{};
  (void)crypto::fillRandom(seed);
  uint64_t jitter_seed = 0;
  for (uint8_t byte : seed) jitter_seed = jitter_seed << 8 | byte;
  uploader_ = std::make_unique<Uploader>(
      *queue_, *transport_, options, std::move(reenroll_with_stored_secret),
      [this](const LeasedEvent& event, const std::string&) { recordRejected(event); }, logLine,
      jitter_seed);
  uploader_->setRenewalCheck([this, next_check_ms = int64_t{0}]() mutable {
    return certificateRenewalDue(next_check_ms);
  });
  uploader_->start();
  return Status::ok();
}

Status AgentService::startHeartbeat() {
  // Its own connection: a heartbeat never waits behind a batch.
  auto transport = newCurlTransport(enrollment_->tls());
  if (!transport.isOk()) return transport.status();
  os_name_ = protocol::truncateUtf8(platform::osName(), protocol::kMaxShortText);
  if (!protocol::isValidUtf8(os_name_)) os_name_.clear();
  heartbeat_ = std::make_unique<HeartbeatReporter>(
      std::move(transport).value(),
      [this](int64_t lost_since_ms) { return heartbeatReport(lost_since_ms); }, logLine, interval_);
  heartbeat_->start();
  return Status::ok();
}

protocol::Heartbeat AgentService::heartbeatReport(int64_t lost_since_ms) {
  protocol::Heartbeat report;
  report.agent_version = std::string(kVersion);
  report.os = os_name_;
  report.host = protocol::truncateUtf8(platform::hostName(), protocol::kMaxShortText);
  report.policy = policyState();
  const QueueStats stats = queue_->stats();
  report.queue_events = stats.events;
  report.queue_bytes = stats.bytes;
  if (stats.events > 0) {
    if (auto oldest = queue_->oldestEventTime(); oldest.isOk()) report.oldest_event_ms = *oldest;
  }
  report.drops = stats.dropped_total;
  if (uploader_) report.last_upload_ms = uploader_->stats().last_delivered_ms;
  for (const SensorSession& sensor : server_->sessions(lost_since_ms)) {
    if (report.sessions.size() == protocol::kMaxHeartbeatSessions) break;
    report.sessions.push_back(
        {sensor.session, sensor.user, sensor.since_ms,
         sensor.connected ? protocol::SensorStatus::kConnected : protocol::SensorStatus::kLost});
  }
  report.sent_ms = clock_->nowUnixMillis();
  return report;
}

bool AgentService::certificateRenewalDue(int64_t& next_check_ms) {
  constexpr int64_t kHourMs = 3600 * 1000;
  constexpr int64_t kRenewBeforeMs = 30 * 24 * kHourMs;
  const int64_t now_ms = clock_->nowUnixMillis();
  if (now_ms < next_check_ms) return false;
  next_check_ms = now_ms + kHourMs;
  auto pem = platform::readSmallFile(enrollment_->certificate_file, 64 * 1024);
  if (!pem.isOk()) return false;
  auto info = crypto::inspectCertificate(*pem);
  return info.isOk() && info->not_after_unix * 1000 - now_ms < kRenewBeforeMs;
}

void AgentService::recordRejected(const LeasedEvent& event) {
  protocol::AgentGap gap;
  gap.reason = protocol::GapReason::kRejected;
  if (auto parsed = protocol::eventFromJson(event.json); parsed.isOk()) {
    gap.dropped.push_back({parsed->type, 1});
  }
  gap.first_seq = event.seq;
  gap.last_seq = event.seq;
  (void)recordOwnEvent(protocol::EventType::kAgentGap, std::move(gap));
}

AgentService::~AgentService() { stop("shutdown"); }

void AgentService::stop(const std::string& reason) {
  if (!queue_) return;
  heartbeat_.reset();
  server_.reset();
  intake_.reset();
  policy_puller_.reset();
  uploader_.reset();  // cancels the request under way; its events stay queued
  transport_.reset();
  (void)recordOwnEvent(protocol::EventType::kAgentStop, protocol::AgentStop{protocol::truncateUtf8(
                                                            reason, protocol::kMaxShortText)});
  queue_.reset();
}

Status AgentService::recordOwnEvent(protocol::EventType type, protocol::Payload data) {
  protocol::Event event;
  event.time_ms = clock_->nowUnixMillis();
  event.id = crypto::UuidV7Generator().next(event.time_ms);
  event.user = user_;
  event.type = type;
  event.data = std::move(data);
  return queue_->append(std::span(&event, 1));
}

Status AgentService::purgeExpired() { return queue_->purgeExpired(); }

}  // namespace vigie::agent
