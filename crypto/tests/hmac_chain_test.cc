#include "vigie/crypto/hmac_chain.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sample_events.h"
#include "test_keys.h"
#include "vigie/crypto/random.h"
#include "vigie/protocol/canonical.h"

namespace vigie::crypto {
namespace {

using protocol::Event;

// A well-formed chain of n events, seq 1..n.
std::vector<Event> makeChain(const SecretKey& key, size_t n) {
  ChainSigner signer(key);
  std::vector<Event> events;
  Mac prev{};
  std::string scratch;
  for (size_t i = 0; i < n; ++i) {
    Event event = testing::typicalCrmView(i);
    event.seq = i + 1;
    signer.seal(event, prev, scratch);
    prev = event.mac;
    events.push_back(event);
  }
  return events;
}

TEST(ChainSigner, IsHmacSha256OfPrevThenCanonical) {
  const SecretKey key = testing::fixedKey(7);
  Mac prev{};
  prev.fill(0x5a);
  const std::string canonical =
      protocol::canonicalBytes(testing::sampleEvent(protocol::EventType::kCrmView));
  std::string message(reinterpret_cast<const char*>(prev.data()), prev.size());
  message += canonical;
  Mac expected{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.bytes().data(), 32, reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), expected.data(), &length);
  ChainSigner signer(key);
  EXPECT_EQ(signer.mac(prev, canonical), expected);
  EXPECT_EQ(signer.mac(prev, canonical), expected) << "the context must be reusable";
}

TEST(ChainVerifier, AcceptsAnIntactChain) {
  const SecretKey key = testing::fixedKey(1);
  const auto events = makeChain(key, 20);
  EXPECT_EQ(verifyChain(key, events), std::nullopt);
  // And a chain checked from the middle, given the last trusted link.
  EXPECT_EQ(verifyChain(key, std::span(events).subspan(10), 10, events[9].mac), std::nullopt);
}

TEST(ChainVerifier, ReportsAGap) {
  const SecretKey key = testing::fixedKey(1);
  auto events = makeChain(key, 10);
  events.erase(events.begin() + 4, events.begin() + 6);  // seq 5 and 6 lost
  const auto broken = verifyChain(key, events);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->kind, ChainBreak::Kind::kGap);
  EXPECT_EQ(broken->seq, 7u);
  EXPECT_EQ(broken->detail, "2 event(s) missing between 4 and 7");
}

TEST(ChainVerifier, ReportsAFork) {
  const SecretKey key = testing::fixedKey(1);
  auto events = makeChain(key, 10);
  // A second event 5, correctly signed but continuing from event 3: someone rewrote history.
  ChainSigner signer(key);
  std::string scratch;
  Event rogue = testing::typicalCrmView(99);
  rogue.seq = 5;
  signer.seal(rogue, events[2].mac, scratch);
  events[4] = rogue;
  const auto broken = verifyChain(key, events);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->kind, ChainBreak::Kind::kFork);
  EXPECT_EQ(broken->seq, 5u);

  auto replayed = makeChain(key, 5);
  replayed.push_back(replayed[1]);
  const auto back = verifyChain(key, replayed);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, ChainBreak::Kind::kFork);
}

TEST(ChainVerifier, ReportsABadMacForAnAlteredEventOrAnotherKey) {
  const SecretKey key = testing::fixedKey(1);
  auto events = makeChain(key, 10);
  std::get<protocol::CrmView>(events[6].data).record_id = "C-999999";
  const auto broken = verifyChain(key, events);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->kind, ChainBreak::Kind::kBadMac);
  EXPECT_EQ(broken->seq, 7u);

  const auto wrong_key = verifyChain(testing::fixedKey(2), makeChain(key, 3));
  ASSERT_TRUE(wrong_key);
  EXPECT_EQ(wrong_key->kind, ChainBreak::Kind::kBadMac);
  EXPECT_EQ(wrong_key->seq, 1u);
}

TEST(ChainVerifier, MovesOnAfterAGap) {
  const SecretKey key = testing::fixedKey(3);
  auto events = makeChain(key, 10);
  events.erase(events.begin() + 2);
  ChainVerifier verifier(key);
  std::vector<ChainBreak::Kind> kinds;
  for (const auto& event : events) {
    if (auto broken = verifier.check(event)) kinds.push_back(broken->kind);
  }
  EXPECT_EQ(kinds, std::vector{ChainBreak::Kind::kGap});
  EXPECT_EQ(verifier.lastSeq(), 10u);
}

TEST(Random, GeneratesDistinctKeys) {
  auto a = generateKey();
  auto b = generateKey();
  ASSERT_TRUE(a.isOk() && b.isOk());
  EXPECT_FALSE(*a == *b);
}

}  // namespace
}  // namespace vigie::crypto
