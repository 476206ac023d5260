// The Windows local streams (platform/windows/named_pipe.cc) under wine: the service learns the
// client's process and account from the OS, owns its pipe name, and refuses names that are
// not local pipes.
#include <gtest/gtest.h>

#include <thread>

#include "support/windows_test_support.h"
#include "vigie/platform/local_socket.h"

namespace vigie::wintest {
namespace {

std::string uniquePipeName(const std::string& what) {
  static int counter = 0;
  return R"(\\.\pipe\vigie-test-)" + what + "-" + std::to_string(GetCurrentProcessId()) + "-" +
         std::to_string(++counter);
}

TEST(NamedPipeTest, TheServerLearnsTheClientsProcessAndAccountFromTheOs) {
  const std::string name = uniquePipeName("identity");
  auto listener = platform::listenLocal(name, 0600);
  ASSERT_TRUE(listener.isOk()) << listener.status().toString();
  platform::LocalStreamPtr served;
  std::thread server([&] {
    auto accepted = (*listener)->accept();
    if (accepted.isOk()) served = std::move(accepted).value();
  });
  auto client = platform::connectLocal(name);
  ASSERT_TRUE(client.isOk()) << client.status().toString();
  server.join();
  ASSERT_NE(served, nullptr);

  // The pid is known at once; the account once the client has written and the server read.
  EXPECT_EQ(served->peer().pid, static_cast<int32_t>(GetCurrentProcessId()));
  EXPECT_EQ((*client)->peer().pid, static_cast<int32_t>(GetCurrentProcessId()));  // the server
  ASSERT_TRUE((*client)->writeAll("hello\n").isOk());
  char buffer[16];
  auto got = served->read(buffer, sizeof buffer);
  ASSERT_TRUE(got.isOk()) << got.status().toString();
  EXPECT_EQ(std::string(buffer, *got), "hello\n");
  wchar_t user[257];
  DWORD size = 257;
  ASSERT_TRUE(GetUserNameW(user, &size));
  const std::string account = narrow(std::wstring(user, size - 1));
  const std::string& seen = served->peer().user;
  ASSERT_GE(seen.size(), account.size()) << seen;
  EXPECT_EQ(seen.substr(seen.size() - account.size()), account) << seen;

  // Both directions carry bytes; closing one end is the other's end of input.
  ASSERT_TRUE(served->writeAll("ok 1\n").isOk());
  got = (*client)->read(buffer, sizeof buffer);
  ASSERT_TRUE(got.isOk());
  EXPECT_EQ(std::string(buffer, *got), "ok 1\n");
  client->reset();
  got = served->read(buffer, sizeof buffer);
  ASSERT_TRUE(got.isOk());
  EXPECT_EQ(*got, 0u);
}

TEST(NamedPipeTest, ASecondServerCannotTakeANameInUse) {
  const std::string name = uniquePipeName("squat");
  auto first = platform::listenLocal(name, 0600);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  auto second = platform::listenLocal(name, 0600);
  ASSERT_FALSE(second.isOk());
  EXPECT_NE(second.status().message().find(name), std::string::npos) << second.status().message();
}

TEST(NamedPipeTest, ShutdownWakesAWaitingAcceptAndABlockedRead) {
  const std::string name = uniquePipeName("shutdown");
  auto listener = platform::listenLocal(name, 0600);
  ASSERT_TRUE(listener.isOk());
  std::thread stopper([&] {
    Sleep(100);
    (*listener)->shutdown();
  });
  auto accepted = (*listener)->accept();
  stopper.join();
  ASSERT_TRUE(accepted.isOk());
  EXPECT_EQ(*accepted, nullptr);

  const std::string other = uniquePipeName("read");
  auto server = platform::listenLocal(other, 0600);
  ASSERT_TRUE(server.isOk());
  platform::LocalStreamPtr served;
  std::thread accepter([&] { served = std::move((*server)->accept()).value(); });
  auto client = platform::connectLocal(other);
  ASSERT_TRUE(client.isOk());
  accepter.join();
  std::thread waker([&] {
    Sleep(100);
    (*client)->shutdown();
  });
  char buffer[8];
  auto got = (*client)->read(buffer, sizeof buffer);
  waker.join();
  ASSERT_TRUE(got.isOk());
  EXPECT_EQ(*got, 0u);
}

TEST(NamedPipeTest, OnlyLocalPipeNamesAreAccepted) {
  for (const std::string bad : {"/run/vigie-agent/agent.sock", R"(\\server\pipe\vigie)",
                                R"(\\.\pipe\)", "C:\\vigie.sock"}) {
    auto listener = platform::listenLocal(bad, 0600);
    ASSERT_FALSE(listener.isOk()) << bad;
    EXPECT_NE(listener.status().message().find("pipe name"), std::string::npos);
    auto client = platform::connectLocal(bad);
    EXPECT_FALSE(client.isOk()) << bad;
  }
  auto nobody = platform::connectLocal(uniquePipeName("nobody"));
  ASSERT_FALSE(nobody.isOk());
  EXPECT_EQ(nobody.status().code(), Status::Code::kNotFound) << nobody.status().toString();
}

}  // namespace
}  // namespace vigie::wintest
