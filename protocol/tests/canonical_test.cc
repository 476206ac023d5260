#include "vigie/protocol/canonical.h"

#include <gtest/gtest.h>

#include <set>

#include "sample_events.h"

namespace vigie::protocol {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

// Pinned bytes: if this changes, every stored chain stops verifying. Change the schema instead.
TEST(Canonical, EncodingIsPinned) {
  Event event = testing::sampleEvent(EventType::kAgentStop);
  event.seq = 3;
  EXPECT_EQ(hex(canonicalBytes(event)),
            "5649474945"
            "2d4556454e5401"                    // magic
            "00000001"                          // schema
            "019acab8c54b7102830405060708090a"  // id
            "0000000000000003"                  // seq
            "0000019acab8c54b"                  // time_ms
            "00000008"
            "6465762d35663361"  // device
            "0000000d"
            "616d656c69652e6d617274696e"  // user
            "00000002"
            "6332"  // session
            "0000000a"
            "6167656e742e73746f70"  // type
            "00000008"
            "73687574646f776e");  // data.reason
}

TEST(Canonical, EveryFieldChangesTheBytes) {
  const Event base = testing::sampleEvent(EventType::kClipboardCopy);
  std::set<std::string> encodings{canonicalBytes(base)};
  std::vector<Event> variants(9, base);
  variants[0].seq = 1;
  variants[1].time_ms += 1;
  variants[2].user = "someone.else";
  variants[3].session = "c3";
  variants[4].device = "dev-other";
  std::get<ClipboardCopy>(variants[5].data).pii.iban = 2;
  std::get<ClipboardCopy>(variants[6].data).formats.push_back("image/png");
  std::get<ClipboardCopy>(variants[7].data).source_url.reset();
  std::get<ClipboardCopy>(variants[8].data).size_bytes = 413;
  for (const auto& variant : variants) encodings.insert(canonicalBytes(variant));
  EXPECT_EQ(encodings.size(), variants.size() + 1);
}

TEST(Canonical, IgnoresTheMacFields) {
  Event a = testing::sampleEvent(EventType::kCrmView);
  Event b = a;
  b.mac[0] = 1;
  b.prev[0] = 1;
  EXPECT_EQ(canonicalBytes(a), canonicalBytes(b));
}

TEST(Canonical, LengthPrefixesPreventAmbiguity) {
  Event a = testing::sampleEvent(EventType::kNoticeShown);
  Event b = a;
  std::get<Notice>(a.data) = {"ab", "c"};
  std::get<Notice>(b.data) = {"a", "bc"};
  EXPECT_NE(canonicalBytes(a), canonicalBytes(b));
}

}  // namespace
}  // namespace vigie::protocol
