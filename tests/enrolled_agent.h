#pragma once

// A real vigie-agent for end-to-end tests: enrolled with a collector, running as a service on
// its socket, fed crm.view drafts as a session sensor would (VIGIE_AGENT_BINARY is defined by
// the test target).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sensor_client.h"
#include "subprocess.h"
#include "vigie/platform/local_socket.h"

namespace vigie::testing {

class EnrolledAgent {
 public:
  EnrolledAgent(std::string data_dir, std::string socket)
      : data_dir_(std::move(data_dir)), socket_(std::move(socket)) {}

  // `vigie-agent enroll` against the collector whose data directory is `collector_dir`.
  void enroll(const std::string& url, const std::string& collector_dir,
              const std::string& device_id) {
    Subprocess command(
        {VIGIE_AGENT_BINARY, "enroll", "--collector", url, "--ca-file", collector_dir + "/ca.pem",
         "--secret-file", collector_dir + "/enrollment.secret", "--data-dir", data_dir_,
         "--device-id", device_id},
        -1, /*capture_stderr=*/true);
    const std::string output = command.readAllOutput();
    const int status = command.wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  }

  // `vigie-agent run` with `extra` options after its own.
  void start(const std::vector<std::string>& extra = {}) {
    std::error_code ignored;
    std::filesystem::remove(socket_, ignored);
    std::vector<std::string> command{VIGIE_AGENT_BINARY, "run",   "--data-dir",  data_dir_,
                                     "--socket",         socket_, "--linger-ms", "20"};
    command.insert(command.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Subprocess>(command);
    for (int i = 0; i < 1000 && !std::filesystem::exists(socket_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(std::filesystem::exists(socket_)) << "the agent did not start";
  }

  // SIGTERM, and waits for the service to record its stop.
  void stop() {
    if (!process_) return;
    process_->signal(SIGTERM);
    process_->wait();
    process_.reset();
  }

  const std::string& dataDir() const { return data_dir_; }
  const std::string& socket() const { return socket_; }

  // Sends one crm.view draft per record id; every one must be accepted.
  void sendViews(const std::vector<std::string>& record_ids) {
    auto stream = platform::connectLocal(socket_);
    ASSERT_TRUE(stream.isOk()) << stream.status().toString();
    std::vector<std::string> lines;
    for (const std::string& id : record_ids) lines.push_back(crmViewDraft(id));
    const auto replies = exchangeLines(**stream, lines);
    ASSERT_EQ(replies.size(), lines.size());
    for (const std::string& reply : replies) EXPECT_EQ(reply.rfind("ok ", 0), 0u) << reply;
  }

 private:
  std::string data_dir_;
  std::string socket_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace vigie::testing
