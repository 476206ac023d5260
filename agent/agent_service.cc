#include "vigie/agent/agent_service.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "vigie/crypto/key_store.h"
#include "vigie/crypto/uuid_generator.h"
#include "vigie/platform/peer_identity.h"
#include "vigie/protocol/utf8.h"
#include "vigie/version.h"

namespace vigie::agent {
namespace {

Status makePrivateDirectory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return Status::ioError("cannot create " + path + ": " + error.message());
  if (::chmod(path.c_str(), 0700) != 0) {
    return Status::ioError("cannot chmod " + path + ": " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace

std::string keysDirectory(const std::string& data_dir) { return data_dir + "/keys"; }
std::string queuePath(const std::string& data_dir) { return data_dir + "/queue.db"; }

std::string defaultDeviceId() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "dev-unknown";
  return std::string("dev-") + host;
}

StatusOr<std::unique_ptr<AgentService>> AgentService::start(const AgentConfig& config,
                                                            platform::Clock& clock) {
  VIGIE_RETURN_IF_ERROR(makePrivateDirectory(config.data_dir));
  auto keys = crypto::newFileKeyStore(keysDirectory(config.data_dir));
  auto database_key = keys->loadOrCreate("queue");
  if (!database_key.isOk()) return database_key.status();
  auto chain_key = keys->loadOrCreate("chain");
  if (!chain_key.isOk()) return chain_key.status();

  std::unique_ptr<AgentService> service(new AgentService());
  service->clock_ = &clock;
  service->user_ = platform::userNameOf(::geteuid());
  QueueOptions options;
  options.path = queuePath(config.data_dir);
  options.device_id = config.device_id.empty() ? defaultDeviceId() : config.device_id;
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
  service->server_ =
      std::make_unique<SensorServer>(std::move(listener).value(), *service->intake_, clock);
  return service;
}

AgentService::~AgentService() { stop("shutdown"); }

void AgentService::stop(const std::string& reason) {
  if (!queue_) return;
  server_.reset();
  intake_.reset();
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
