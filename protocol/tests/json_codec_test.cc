#include "vigie/protocol/json_codec.h"

#include <gtest/gtest.h>

#include "sample_events.h"
#include "vigie/protocol/validate.h"

namespace vigie::protocol {
namespace {

using testing::sampleEvent;
using testing::sampleEventsOfEveryType;

std::string replaceOnce(std::string text, std::string_view from, std::string_view to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

void expectRejected(const std::string& json, std::string_view reason) {
  auto decoded = eventFromJson(json);
  ASSERT_FALSE(decoded.isOk()) << json;
  EXPECT_EQ(decoded.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(decoded.status().message().find(reason), std::string::npos)
      << decoded.status().message();
}

TEST(JsonCodec, EveryTypeRoundTrips) {
  for (Event event : sampleEventsOfEveryType()) {
    event.seq = 42;
    event.mac[0] = 0xab;
    event.prev[31] = 0x01;
    const std::string json = toJson(event);
    auto decoded = eventFromJson(json);
    ASSERT_TRUE(decoded.isOk()) << json << " -> " << decoded.status().toString();
    EXPECT_EQ(*decoded, event) << json;
    EXPECT_EQ(toJson(*decoded), json);
  }
}

TEST(JsonCodec, WritesTheDocumentedShape) {
  Event event = sampleEvent(EventType::kPrintJob);
  event.seq = 7;
  EXPECT_EQ(toJson(event),
            "{\"schema\":1,\"id\":\"019acab8-c54b-7102-8304-05060708090a\",\"seq\":7,"
            "\"time\":\"2025-11-28T13:48:18.123Z\",\"device\":\"dev-5f3a\","
            "\"user\":\"amelie.martin\",\"session\":\"c2\",\"type\":\"print.job\","
            "\"data\":{\"printer\":\"office-2nd-floor\",\"pages\":12,\"copies\":2,"
            "\"document_class\":\"pdf\"},"
            "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\","
            "\"mac\":\"0000000000000000000000000000000000000000000000000000000000000000\"}");
}

TEST(JsonCodec, OptionalFieldsMayBeAbsent) {
  Event event = sampleEvent(EventType::kClipboardCopy);
  auto& copy = std::get<ClipboardCopy>(event.data);
  copy.source_url.reset();
  copy.fingerprint.reset();
  const std::string json = toJson(event);
  EXPECT_EQ(json.find("source_url"), std::string::npos);
  auto decoded = eventFromJson(json);
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(*decoded, event);
}

TEST(JsonCodec, EscapesControlCharactersAndQuotes) {
  Event event = sampleEvent(EventType::kAppFocus);
  std::get<AppFocus>(event.data).title = std::string("a\"b\\c\nd\x01 é \xF0\x9F\x93\x9E", 17);
  auto decoded = eventFromJson(toJson(event));
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(*decoded, event);
}

TEST(JsonCodec, RejectsUnknownType) {
  expectRejected(replaceOnce(toJson(sampleEvent(EventType::kPrintJob)), "print.job", "print.jab"),
                 "unknown event type \"print.jab\"");
}

TEST(JsonCodec, RejectsMissingField) {
  expectRejected(replaceOnce(toJson(sampleEvent(EventType::kPrintJob)), "\"pages\":12,", ""),
                 "field data.pages: missing");
  expectRejected(
      replaceOnce(toJson(sampleEvent(EventType::kPrintJob)), "\"user\":\"amelie.martin\",", ""),
      "field user: missing");
}

TEST(JsonCodec, RejectsMistypedField) {
  expectRejected(
      replaceOnce(toJson(sampleEvent(EventType::kPrintJob)), "\"pages\":12", "\"pages\":\"12\""),
      "field data.pages: expected integer, got string");
  expectRejected(
      replaceOnce(toJson(sampleEvent(EventType::kPrintJob)), "\"pages\":12", "\"pages\":-1"),
      "field data.pages: must not be negative");
  expectRejected(replaceOnce(toJson(sampleEvent(EventType::kCrmView)), "\"edit\"", "\"delete\""),
                 "field data.mode: unknown value \"delete\"");
}

TEST(JsonCodec, RejectsUnknownField) {
  expectRejected(replaceOnce(toJson(sampleEvent(EventType::kPrintJob)), "\"copies\":2",
                             "\"copies\":2,\"content\":\"x\""),
                 "unknown field data.content");
  expectRejected(replaceOnce(toJson(sampleEvent(EventType::kPrintJob)), "\"schema\":1",
                             "\"schema\":1,\"keystrokes\":\"x\""),
                 "unknown field keystrokes");
}

TEST(JsonCodec, RejectsOversizedField) {
  Event event = sampleEvent(EventType::kCrmView);
  const std::string json =
      replaceOnce(toJson(event), "C-104233\"", std::string(kMaxShortText + 1, 'x') + "\"");
  expectRejected(json, "field data.record_id: longer than 256 bytes");
}

TEST(JsonCodec, RejectsOversizedDocument) {
  const std::string json = replaceOnce(toJson(sampleEvent(EventType::kAppFocus)),
                                       "Recherche client", std::string(kMaxEventJsonBytes, 'x'));
  expectRejected(json, "event larger than");
}

TEST(JsonCodec, RejectsInvalidUtf8) {
  expectRejected(
      replaceOnce(toJson(sampleEvent(EventType::kAppFocus)), "Recherche", "Rech\xC3\x28rche"),
      "invalid UTF-8");
  expectRejected(replaceOnce(toJson(sampleEvent(EventType::kAppFocus)), "Recherche", "\\ud800x"),
                 "lone high surrogate");
}

TEST(JsonCodec, RejectsBadEnvelopeValues) {
  const std::string json = toJson(sampleEvent(EventType::kAgentStart));
  expectRejected(replaceOnce(json, "\"schema\":1", "\"schema\":2"), "unsupported schema version 2");
  expectRejected(replaceOnce(json, "019acab8", "019ACAB8"), "field id: not a lower-case UUIDv7");
  expectRejected(replaceOnce(json, "13:48:18.123Z", "13:48:18Z"), "field time");
  expectRejected(replaceOnce(json, "\"prev\":\"00", "\"prev\":\"0g"), "field prev");
  expectRejected(replaceOnce(json, "\"seq\":0", "\"seq\":18446744073709551616"),
                 "integer out of range");
}

TEST(JsonCodec, RejectsBadGapCounts) {
  const std::string json = toJson(sampleEvent(EventType::kAgentGap));
  expectRejected(replaceOnce(json, "\"crm.view\":10", "\"crm.vue\":10"), "unknown event type");
  expectRejected(replaceOnce(json, "\"crm.view\":10", "\"crm.view\":0"), "counts must be positive");
}

TEST(JsonCodec, NeverThrowsOnGarbage) {
  const std::string json = toJson(sampleEvent(EventType::kClipboardCopy));
  // Every prefix and every single-byte corruption of a valid event decodes to a value or an error.
  for (size_t i = 0; i < json.size(); ++i) {
    EXPECT_FALSE(eventFromJson(json.substr(0, i)).isOk());
    for (char c : {'\0', '"', '{', ']', '\xff', '9'}) {
      std::string mutated = json;
      mutated[i] = c;
      (void)eventFromJson(mutated);
    }
  }
}

TEST(DraftCodec, RoundTripsAndRejectsAgentFields) {
  Draft draft{EventType::kCrmView, sampleEvent(EventType::kCrmView).data, "c2"};
  auto decoded = draftFromJson(toJson(draft));
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(*decoded, draft);

  auto with_user = draftFromJson(R"({"type":"app.focus","user":"root","data":{"app":"crm"}})");
  ASSERT_FALSE(with_user.isOk());
  EXPECT_EQ(with_user.status().message(), "unknown field user");
}

TEST(Validate, RejectsPayloadOfAnotherType) {
  Event event = sampleEvent(EventType::kCrmView);
  event.data = PrintJob{};
  EXPECT_EQ(validate(event).message(), "payload does not match type crm.view");
}

}  // namespace
}  // namespace vigie::protocol
