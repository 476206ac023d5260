#include "service_link.h"

#include <gtest/gtest.h>

#include <thread>

#include "temp_dir.h"
#include "vigie/platform/desktop_watcher.h"

namespace vigie::session {
namespace {

// A stand-in for the agent service that answers "ok <n>" and remembers the lines, in order.
class RecordingService {
 public:
  explicit RecordingService(const std::string& path) {
    auto listener = platform::listenLocal(path, 0600);
    EXPECT_TRUE(listener.isOk()) << listener.status().toString();
    listener_ = std::move(listener).value();
    thread_ = std::thread([this] { serve(); });
  }
  ~RecordingService() {
    listener_->shutdown();
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      if (current_ != nullptr) current_->shutdown();
    }
    thread_.join();
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  void serve() {
    while (true) {
      auto accepted = listener_->accept();
      if (!accepted.isOk() || !*accepted) return;
      platform::LocalStreamPtr stream = std::move(accepted).value();
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        current_ = stream.get();
      }
      std::string buffer;
      char chunk[4096];
      while (true) {
        auto got = stream->read(chunk, sizeof chunk);
        if (!got.isOk() || *got == 0) break;
        buffer.append(chunk, *got);
        for (size_t newline; (newline = buffer.find('\n')) != std::string::npos;) {
          std::lock_guard lock(mu_);
          lines_.push_back(buffer.substr(0, newline));
          buffer.erase(0, newline + 1);
          (void)stream->writeAll("ok " + std::to_string(lines_.size()) + "\n");
        }
      }
      std::lock_guard lock(mu_);
      current_ = nullptr;
    }
  }

  platform::LocalListenerPtr listener_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> lines_;            // GUARDED_BY(mu_)
  platform::LocalStream* current_ = nullptr;  // GUARDED_BY(mu_)
  bool stopping_ = false;                     // GUARDED_BY(mu_)
};

TEST(ServiceLinkTest, GreetsOnConnectThenSendsInOrder) {
  vigie::testing::TempDir dir;
  RecordingService service(dir.file("agent.sock"));
  ServiceLink link(dir.file("agent.sock"), "hello");
  link.open();
  link.send("one");
  link.send("two");
  EXPECT_EQ(service.lines(), (std::vector<std::string>{"hello", "one", "two"}));
  EXPECT_FALSE(link.retryDueMillis().has_value());
}

TEST(ServiceLinkTest, KeepsEventsInMemoryUntilTheServiceIsBack) {
  vigie::testing::TempDir dir;
  ServiceLink link(dir.file("agent.sock"), "hello");
  link.open();
  link.send("one");
  link.send("two");
  EXPECT_EQ(link.waiting(), 2u);
  ASSERT_TRUE(link.retryDueMillis().has_value());

  RecordingService service(dir.file("agent.sock"));
  while (platform::steadyMillis() < *link.retryDueMillis()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  link.retry();
  EXPECT_EQ(link.waiting(), 0u);
  EXPECT_EQ(service.lines(), (std::vector<std::string>{"hello", "one", "two"}));
}

TEST(ServiceLinkTest, TheMemoryBufferIsBoundedAndCountsWhatItDrops) {
  vigie::testing::TempDir dir;
  ServiceLink link(dir.file("agent.sock"), "hello");
  for (size_t i = 0; i < ServiceLink::kMaxWaiting + 5; ++i) link.send("e" + std::to_string(i));
  EXPECT_EQ(link.waiting(), ServiceLink::kMaxWaiting);
  EXPECT_EQ(link.dropped(), 5u);
}

TEST(ServiceLinkTest, SendLastAndCloseSendsAndStopsRetrying) {
  vigie::testing::TempDir dir;
  RecordingService service(dir.file("agent.sock"));
  ServiceLink link(dir.file("agent.sock"), "hello");
  link.open();
  link.sendLastAndClose("bye");
  EXPECT_EQ(service.lines(), (std::vector<std::string>{"hello", "bye"}));
  EXPECT_FALSE(link.retryDueMillis().has_value());
}

}  // namespace
}  // namespace vigie::session
