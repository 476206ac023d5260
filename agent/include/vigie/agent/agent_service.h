#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "vigie/agent/enrollment_client.h"
#include "vigie/agent/event_intake.h"
#include "vigie/agent/event_queue.h"
#include "vigie/agent/heartbeat_reporter.h"
#include "vigie/agent/policy_puller.h"
#include "vigie/agent/remote_policy.h"
#include "vigie/agent/sensor_server.h"
#include "vigie/agent/uploader.h"
#include "vigie/agent/user_journal.h"
#include "vigie/platform/clock.h"

namespace vigie::agent {

struct AgentConfig {
  std::string data_dir = "/var/lib/vigie-agent";  // keys/, queue.db; created 0700
  std::string socket_path = "/run/vigie-agent/agent.sock";
  std::string device_id;  // empty: the enrolled id, else "dev-<hostname>"
  QueueLimits limits;
  UploaderOptions upload;  // used once the agent is enrolled (vigie-agent enroll)
  // How often the collector hears from the agent (heartbeat) and is asked for the workstation
  // policy, until a policy's upload.heartbeat_seconds says otherwise.
  std::chrono::milliseconds heartbeat_interval = std::chrono::seconds(60);
};

// The workstation service: keys, queue, group commit, the sensors' socket and, once enrolled,
// the uploader to the collector. Records agent.start when started and agent.stop when stopped.
class AgentService {
 public:
  static StatusOr<std::unique_ptr<AgentService>> start(const AgentConfig& config,
                                                       platform::Clock& clock);
  ~AgentService();  // stops as stop("shutdown") would, if not stopped yet

  // Stops taking events, records agent.stop with `reason`, closes the queue.
  void stop(const std::string& reason);
  // Removes events past the age limit (call periodically).
  Status purgeExpired();
  EventQueue& queue() { return *queue_; }
  // The enrollment in use; nullopt when not enrolled (events stay queued).
  const std::optional<Enrollment>& enrollment() const { return enrollment_; }
  // The heartbeat reporter (its interval can be changed); nullptr when not enrolled.
  HeartbeatReporter* heartbeat() { return heartbeat_.get(); }
  // What the heartbeat reports now; lost session sensors from `lost_since_ms` on.
  protocol::Heartbeat heartbeatReport(int64_t lost_since_ms);
  // The workstation policy in force (docs/fleet.md), as the heartbeat reports it. Thread-safe.
  protocol::HeartbeatPolicy policyState() const;

 private:
  AgentService() = default;
  // Queues an agent.* event about the service itself, stamped with the service's account.
  Status recordOwnEvent(protocol::EventType type, protocol::Payload data);
  Status startUploader(const AgentConfig& config, const crypto::SecretKey& chain_key);
  // REQUIRES: startPolicy() ran (the heartbeat starts at the policy's interval).
  Status startHeartbeat();
  // Applies the kept policy, then starts pulling new ones from the collector.
  Status startPolicy(const AgentConfig& config);
  // Applies a policy's service settings (what it leaves out falls back to the configuration)
  // and records agent.policy.
  void applyPolicy(const policy::WorkstationPolicy& policy);
  void recordRejected(const LeasedEvent& event);
  // True when the client certificate expires within 30 days; reads it at most once an hour.
  bool certificateRenewalDue(int64_t& next_check_ms);
  EventQueuePtr queue_;
  std::unique_ptr<EventIntake> intake_;
  std::unique_ptr<UserJournal> journal_;  // what each person can read back today
  std::unique_ptr<SensorServer> server_;
  std::optional<Enrollment> enrollment_;
  HttpTransportPtr transport_;
  std::unique_ptr<Uploader> uploader_;
  std::unique_ptr<HeartbeatReporter> heartbeat_;
  std::string os_name_;  // read once at start
  std::unique_ptr<RemotePolicy> remote_policy_;
  std::unique_ptr<PolicyPuller> policy_puller_;
  AgentConfig config_;
  std::chrono::milliseconds interval_{};  // heartbeat and policy pull, as the policy says
  platform::Clock* clock_ = nullptr;
  std::string user_;
};

// Paths inside a data directory, shared by the service and the inspection commands.
std::string keysDirectory(const std::string& data_dir);
std::string queuePath(const std::string& data_dir);

std::string defaultDeviceId();

}  // namespace vigie::agent
