#pragma once

// The event model (docs/events.md): a common envelope and one payload struct per event family.
// Each payload lists its fields once, in `describe()`; the JSON codec, the canonical encoding
// and the validator all walk that list, so a field cannot be added to one and forgotten in
// another. Field order in `describe()` is part of the canonical encoding: append, never reorder.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vigie/protocol/uuid.h"

namespace vigie::protocol {

inline constexpr uint32_t kSchemaVersion = 1;

// Size limits enforced on every event, on the way in and on the way out.
inline constexpr size_t kMaxShortText = 256;  // names, ids, classes
inline constexpr size_t kMaxLongText = 1024;  // titles, details
inline constexpr size_t kMaxUrl = 2048;
inline constexpr size_t kMaxListItems = 32;
inline constexpr size_t kMaxEventJsonBytes = 16 * 1024;

enum class EventType : uint8_t {
  kCrmView,
  kAppFocus,
  kClipboardCopy,
  kFileExport,
  kPrintJob,
  kSessionLogon,
  kSessionLogoff,
  kSessionLock,
  kSessionUnlock,
  kNoticeShown,
  kNoticeAcknowledged,
  kAgentStart,
  kAgentStop,
  kAgentGap,
  kAgentPolicy,
  kAgentIntegrity,
};
inline constexpr size_t kEventTypeCount = 16;

// "crm.view", "agent.gap", ...
std::string_view typeName(EventType type);
std::optional<EventType> typeFromName(std::string_view name);
std::span<const EventType> allEventTypes();

// What the queue drops first when it is full: low before normal, normal before high.
enum class Priority : uint8_t { kLow = 0, kNormal = 1, kHigh = 2 };
Priority priorityOf(EventType type);

// Types a session sensor may submit; agent.* events come only from the service itself.
bool isSensorType(EventType type);

// Enumerations travel as their names; the name tables live in event.cc.
enum class CrmMode : uint8_t { kView, kEdit };
enum class PathClass : uint8_t { kDownloads, kDesktop, kRemovable, kNetworkShare, kOther };
enum class GapReason : uint8_t {
  kQueueFull,
  kAgeLimit,
  kDiskFull,
  kSensorLost,
  kWriteFailed,
  kRejected,  // the collector refused the event itself as malformed (HTTP 400 for it alone)
};
enum class IntegrityIncident : uint8_t { kQueueUnreadable, kChainRestarted, kPolicyRefused };

std::span<const std::string_view> enumNames(CrmMode);
std::span<const std::string_view> enumNames(PathClass);
std::span<const std::string_view> enumNames(GapReason);
std::span<const std::string_view> enumNames(IntegrityIncident);

// crm.view: a CRM screen showing a customer record, recognised by a policy rule.
struct CrmView {
  std::string app;        // process / WM_CLASS of the CRM client
  std::string screen;     // screen type named by the rule ("customer", "contract", ...)
  std::string record_id;  // record identifier extracted by the rule
  CrmMode mode = CrmMode::kView;
  std::string brand;                 // client company the CRM belongs to
  std::optional<std::string> title;  // raw window title, only when the rule keeps it

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("app", s.app, kMaxShortText);
    v.text("screen", s.screen, kMaxShortText);
    v.text("record_id", s.record_id, kMaxShortText);
    v.enumeration("mode", s.mode);
    v.text("brand", s.brand, kMaxShortText);
    v.optionalText("title", s.title, kMaxLongText);
  }
  bool operator==(const CrmView&) const = default;
};

// app.focus: an application the policy names came to the foreground.
struct AppFocus {
  std::string app;
  std::optional<std::string> title;

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("app", s.app, kMaxShortText);
    v.optionalText("title", s.title, kMaxLongText);
  }
  bool operator==(const AppFocus&) const = default;
};

// Counts of personal-data classes found in copied text (the text itself is never kept).
struct PiiCounts {
  uint64_t email = 0;
  uint64_t phone_fr = 0;
  uint64_t iban = 0;
  uint64_t payment_card = 0;
  uint64_t nir = 0;

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.number("email", s.email);
    v.number("phone_fr", s.phone_fr);
    v.number("iban", s.iban);
    v.number("payment_card", s.payment_card);
    v.number("nir", s.nir);
  }
  bool operator==(const PiiCounts&) const = default;
};

// clipboard.copy: metadata of a copy; never its content.
struct ClipboardCopy {
  std::string source_app;
  std::optional<std::string> source_url;
  std::vector<std::string> formats;  // offered targets / MIME types
  uint64_t size_bytes = 0;
  PiiCounts pii;
  std::optional<std::string> fingerprint;  // keyed hash, relates a copy to a later export

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("source_app", s.source_app, kMaxShortText);
    v.optionalText("source_url", s.source_url, kMaxUrl);
    v.textList("formats", s.formats, kMaxListItems, kMaxShortText);
    v.number("size_bytes", s.size_bytes);
    v.object("pii", s.pii);
    v.optionalText("fingerprint", s.fingerprint, kMaxShortText);
  }
  bool operator==(const ClipboardCopy&) const = default;
};

// file.export: a file written to a watched place.
struct FileExport {
  PathClass path_class = PathClass::kOther;
  std::string extension;  // lower case, without the dot
  uint64_t size_bytes = 0;
  std::string writer_process;
  std::optional<uint64_t> rows;   // CSV/XLSX, where cheap to count
  std::optional<uint64_t> pages;  // PDF, where cheap to count

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.enumeration("path_class", s.path_class);
    v.text("extension", s.extension, kMaxShortText);
    v.number("size_bytes", s.size_bytes);
    v.text("writer_process", s.writer_process, kMaxShortText);
    v.optionalNumber("rows", s.rows);
    v.optionalNumber("pages", s.pages);
  }
  bool operator==(const FileExport&) const = default;
};

// print.job: a job sent to a printer.
struct PrintJob {
  std::string printer;
  uint64_t pages = 0;
  uint64_t copies = 1;
  std::string document_class;

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("printer", s.printer, kMaxShortText);
    v.number("pages", s.pages);
    v.number("copies", s.copies);
    v.text("document_class", s.document_class, kMaxShortText);
  }
  bool operator==(const PrintJob&) const = default;
};

// session.logon / session.logoff / session.lock / session.unlock: the type says which.
struct SessionChange {
  template <typename S, typename V>
  static void describe(S&, V&) {}
  bool operator==(const SessionChange&) const = default;
};

// notice.shown / notice.acknowledged: what the person was told, and which version of it.
struct Notice {
  std::string notice_id;
  std::string version;

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("notice_id", s.notice_id, kMaxShortText);
    v.text("version", s.version, kMaxShortText);
  }
  bool operator==(const Notice&) const = default;
};

struct AgentStart {
  std::string version;

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("version", s.version, kMaxShortText);
  }
  bool operator==(const AgentStart&) const = default;
};

struct AgentStop {
  std::string reason;

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("reason", s.reason, kMaxShortText);
  }
  bool operator==(const AgentStop&) const = default;
};

// How many events of one type an agent.gap accounts for.
struct DroppedCount {
  EventType type = EventType::kAppFocus;
  uint64_t count = 0;
  bool operator==(const DroppedCount&) const = default;
};

// agent.gap: events that were recorded but not kept, with exact counts per type.
struct AgentGap {
  GapReason reason = GapReason::kQueueFull;
  std::vector<DroppedCount> dropped;  // one entry per type, in EventType order, counts > 0
  uint64_t first_seq = 0;  // sequence range of the dropped events; 0 when they never had one
  uint64_t last_seq = 0;

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.enumeration("reason", s.reason);
    v.typeCounts("dropped", s.dropped);
    v.number("first_seq", s.first_seq);
    v.number("last_seq", s.last_seq);
  }
  bool operator==(const AgentGap&) const = default;
};

// agent.policy: the workstation policy the service applies from now on (docs/fleet.md).
struct AgentPolicy {
  std::string policy_version;
  uint64_t serial = 0;  // the collector's activation number; 0 for a policy not from a collector

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.text("policy_version", s.policy_version, kMaxShortText);
    v.number("serial", s.serial);
  }
  bool operator==(const AgentPolicy&) const = default;
};

// agent.integrity: something that should never happen to the agent's own records did.
struct AgentIntegrity {
  IntegrityIncident incident = IntegrityIncident::kQueueUnreadable;
  std::string detail;
  std::optional<std::string> moved_to;  // where an unreadable file was kept for forensics

  template <typename S, typename V>
  static void describe(S& s, V& v) {
    v.enumeration("incident", s.incident);
    v.text("detail", s.detail, kMaxLongText);
    v.optionalText("moved_to", s.moved_to, kMaxLongText);
  }
  bool operator==(const AgentIntegrity&) const = default;
};

using Payload = std::variant<CrmView, AppFocus, ClipboardCopy, FileExport, PrintJob, SessionChange,
                             Notice, AgentStart, AgentStop, AgentGap, AgentPolicy, AgentIntegrity>;

// The payload alternative that carries `type`, default-constructed.
Payload emptyPayloadFor(EventType type);
bool payloadMatches(EventType type, const Payload& payload);

using Mac = std::array<uint8_t, 32>;

// One recorded event. The service fills the envelope; the queue assigns `seq`, `prev` and `mac`.
struct Event {
  uint32_t schema = kSchemaVersion;
  Uuid id{};
  uint64_t seq = 0;     // per device, from 1, never reused
  int64_t time_ms = 0;  // UTC, Unix milliseconds
  std::string device;   // device id
  std::string user;     // from the OS (peer credentials), never from the sensor's message
  std::string session;  // login session id
  EventType type = EventType::kAgentStart;
  Payload data = AgentStart{};
  Mac prev{};  // mac of the event with seq - 1 (zeros for the first of a chain)
  Mac mac{};   // HMAC-SHA256(chain key, prev || canonical(event)), see crypto/hmac_chain.h

  bool operator==(const Event&) const = default;
};

// What a session sensor submits: the service stamps everything else.
struct Draft {
  EventType type = EventType::kAppFocus;
  Payload data = AppFocus{};
  std::string session;
  bool operator==(const Draft&) const = default;
};

}  // namespace vigie::protocol
