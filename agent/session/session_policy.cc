#include "session_policy.h"

#include <fstream>

#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/protocol/utf8.h"

namespace vigie::session {
namespace {

namespace json = protocol::json;
using Kind = json::Value::Kind;

constexpr size_t kMaxPolicyBytes = 1 << 20;
constexpr size_t kMaxPatternBytes = 1024;
constexpr size_t kMaxListItems = 32;
constexpr uint64_t kMaxRetentionDays = 36500;
constexpr std::string_view kDayNames[kDaysPerWeek] = {"mon", "tue", "wed", "thu",
                                                      "fri", "sat", "sun"};

// Reads members of one object, naming the path in every error, refusing unknown members.
class Reader {
 public:
  Reader(const json::Value& object, std::string path) : object_(object), path_(std::move(path)) {}

  Status check(std::initializer_list<std::string_view> known) const {
    if (object_.kind != Kind::kObject) return fail("", "must be an object");
    for (const json::Member& member : object_.object) {
      bool found = false;
      for (const std::string_view name : known) found = found || member.first == name;
      if (!found) return fail(member.first, "unknown member");
    }
    return Status::ok();
  }

  StatusOr<std::string> text(std::string_view name, bool required,
                             size_t max = protocol::kMaxShortText) const {
    const json::Value* value = object_.find(name);
    if (value == nullptr) {
      if (required) return fail(name, "required");
      return std::string();
    }
    if (value->kind != Kind::kString) return fail(name, "must be a string");
    if (value->string.size() > max) {
      return fail(name, "longer than " + std::to_string(max) + " bytes");
    }
    return value->string;
  }

  // A list of texts, each at most `max` bytes; empty when absent unless required.
  StatusOr<std::vector<std::string>> texts(std::string_view name, bool required, size_t max) const {
    std::vector<std::string> out;
    Status status;
    const auto* items = array(name, status);
    if (!status.isOk()) return status;
    if (items == nullptr || items->empty()) {
      if (required) return fail(name, "required, at least one");
      return out;
    }
    if (items->size() > kMaxListItems) {
      return fail(name, "more than " + std::to_string(kMaxListItems) + " items");
    }
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string item = std::string(name) + "[" + std::to_string(i) + "]";
      if ((*items)[i].kind != Kind::kString) return fail(item, "must be a string");
      if ((*items)[i].string.size() > max) {
        return fail(item, "longer than " + std::to_string(max) + " bytes");
      }
      out.push_back((*items)[i].string);
    }
    return out;
  }

  // A non-negative integer; `fallback` when absent.
  StatusOr<uint64_t> integer(std::string_view name, uint64_t fallback) const {
    const json::Value* value = object_.find(name);
    if (value == nullptr) return fallback;
    if (value->kind != Kind::kInteger || value->negative) {
      return fail(name, "must be a non-negative integer");
    }
    return value->magnitude;
  }

  const json::Value* find(std::string_view name) const { return object_.find(name); }

  StatusOr<bool> boolean(std::string_view name) const {
    const json::Value* value = object_.find(name);
    if (value == nullptr) return false;
    if (value->kind != Kind::kBool) return fail(name, "must be true or false");
    return value->boolean;
  }

  StatusOr<std::regex> pattern(std::string_view name) const {
    auto source = text(name, true, kMaxPatternBytes);
    if (!source.isOk()) return source.status();
    return compile(name, *source);
  }

  StatusOr<std::regex> compile(std::string_view name, const std::string& source) const {
    try {
      return std::regex(source, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      return fail(name, std::string("invalid regular expression: ") + error.what());
    }
  }

  const std::vector<json::Value>* array(std::string_view name, Status& status) const {
    const json::Value* value = object_.find(name);
    if (value == nullptr) return nullptr;
    if (value->kind != Kind::kArray) status = fail(name, "must be an array");
    return value->kind == Kind::kArray ? &value->array : nullptr;
  }

  std::string at(std::string_view name) const {
    return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
  }

  Status fail(std::string_view name, const std::string& why) const {
    const std::string where = name.empty() ? path_ : at(name);
    return Status::invalidArgument("policy: " + (where.empty() ? "" : where + ": ") + why);
  }

 private:
  const json::Value& object_;
  std::string path_;
};

template <typename Enum>
StatusOr<Enum> enumeration(const Reader& reader, std::string_view name, const std::string& text) {
  const auto names = protocol::enumNames(Enum{});
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return reader.fail(name, "unknown value \"" + text + "\"");
}

bool isSeparator(char c) { return c == '/' || c == '\\'; }

std::string expandPath(const std::string& path, const UserDirectories& user) {
  std::string out = path;
  if (out == "~" || (out.size() > 1 && out[0] == '~' && isSeparator(out[1]))) {
    out = user.home + out.substr(1);
  }
  for (size_t at; (at = out.find("$USER")) != std::string::npos;) out.replace(at, 5, user.user);
  while (out.size() > 1 && isSeparator(out.back()) && !out.ends_with(":\\")) out.pop_back();
  return out;
}

// "/..." (POSIX); "C:\...", "C:/..." or "\\server\share" (Windows): the policy serves both
// kinds of workstation.
bool isAbsolutePath(const std::string& path) {
  if (path.starts_with("/") || (path.starts_with("\\\\") && path.size() > 2)) return true;
  const bool drive = path.size() >= 3 &&
                     ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z'));
  return drive && path[1] == ':' && isSeparator(path[2]);
}

StatusOr<ScreenRule> parseScreen(const json::Value& value, const std::string& path) {
  const Reader reader(value, path);
  if (Status s = reader.check({"screen", "mode", "title", "keep_title"}); !s.isOk()) return s;
  ScreenRule rule;
  auto screen = reader.text("screen", true);
  if (!screen.isOk()) return screen.status();
  rule.screen = *screen;
  auto mode_text = reader.text("mode", false);
  if (!mode_text.isOk()) return mode_text.status();
  if (!mode_text->empty()) {
    auto mode = enumeration<protocol::CrmMode>(reader, "mode", *mode_text);
    if (!mode.isOk()) return mode.status();
    rule.mode = *mode;
  }
  auto title = reader.pattern("title");
  if (!title.isOk()) return title.status();
  if (title->mark_count() < 1) {
    return reader.fail("title", "needs a capture group for the record id");
  }
  rule.title = std::move(*title);
  auto keep = reader.boolean("keep_title");
  if (!keep.isOk()) return keep.status();
  rule.keep_title = *keep;
  return rule;
}

StatusOr<ApplicationRule> parseApplication(const json::Value& value, const std::string& path) {
  const Reader reader(value, path);
  if (Status s = reader.check(
          {"app", "brand", "process", "title", "source_urls", "screens", "focus", "keep_title"});
      !s.isOk()) {
    return s;
  }
  ApplicationRule rule;
  auto app = reader.text("app", true);
  if (!app.isOk()) return app.status();
  rule.app = *app;
  auto brand = reader.text("brand", false);
  if (!brand.isOk()) return brand.status();
  rule.brand = *brand;
  auto process = reader.pattern("process");
  if (!process.isOk()) return process.status();
  rule.process = std::move(*process);
  auto title = reader.text("title", false, kMaxPatternBytes);
  if (!title.isOk()) return title.status();
  if (!title->empty()) {
    auto compiled = reader.compile("title", *title);
    if (!compiled.isOk()) return compiled.status();
    rule.title = std::move(*compiled);
  }
  Status status;
  if (const auto* urls = reader.array("source_urls", status)) {
    for (size_t i = 0; i < urls->size(); ++i) {
      const std::string name = "source_urls[" + std::to_string(i) + "]";
      if ((*urls)[i].kind != Kind::kString) return reader.fail(name, "must be a string");
      auto compiled = reader.compile(name, (*urls)[i].string);
      if (!compiled.isOk()) return compiled.status();
      rule.source_urls.push_back(std::move(*compiled));
    }
  }
  if (!status.isOk()) return status;
  if (const auto* screens = reader.array("screens", status)) {
    for (size_t i = 0; i < screens->size(); ++i) {
      auto screen = parseScreen((*screens)[i], reader.at("screens[" + std::to_string(i) + "]"));
      if (!screen.isOk()) return screen.status();
      rule.screens.push_back(std::move(*screen));
    }
  }
  if (!status.isOk()) return status;
  if (!rule.screens.empty() && rule.brand.empty()) {
    return reader.fail("brand", "required when the application has screens (a CRM)");
  }
  auto focus = reader.boolean("focus");
  if (!focus.isOk()) return focus.status();
  rule.focus = *focus;
  auto keep = reader.boolean("keep_title");
  if (!keep.isOk()) return keep.status();
  rule.keep_title = *keep;
  return rule;
}

StatusOr<WatchedPlace> parsePlace(const json::Value& value, const std::string& path,
                                  const UserDirectories& user) {
  const Reader reader(value, path);
  if (Status s = reader.check({"path", "class", "mount_points"}); !s.isOk()) return s;
  WatchedPlace place;
  auto where = reader.text("path", true, protocol::kMaxLongText);
  if (!where.isOk()) return where.status();
  place.path = expandPath(*where, user);
  if (!isAbsolutePath(place.path)) {
    return reader.fail("path", "must be absolute (or start with ~)");
  }
  auto class_text = reader.text("class", true);
  if (!class_text.isOk()) return class_text.status();
  auto path_class = enumeration<protocol::PathClass>(reader, "class", *class_text);
  if (!path_class.isOk()) return path_class.status();
  place.path_class = *path_class;
  auto mounts = reader.boolean("mount_points");
  if (!mounts.isOk()) return mounts.status();
  place.mount_points = *mounts;
  return place;
}

StatusOr<NoticeText> parseNotice(const json::Value& value) {
  const Reader reader(value, "notice");
  if (Status s = reader.check({"controller", "contact", "purposes", "recipients"}); !s.isOk()) {
    return s;
  }
  NoticeText notice;
  auto controller = reader.text("controller", true);
  if (!controller.isOk()) return controller.status();
  notice.controller = *controller;
  auto contact = reader.text("contact", true);
  if (!contact.isOk()) return contact.status();
  notice.contact = *contact;
  auto purposes = reader.texts("purposes", true, protocol::kMaxLongText);
  if (!purposes.isOk()) return purposes.status();
  notice.purposes = std::move(*purposes);
  auto recipients = reader.texts("recipients", false, protocol::kMaxShortText);
  if (!recipients.isOk()) return recipients.status();
  notice.recipients = std::move(*recipients);
  return notice;
}

// "HH:MM", 00:00 to 23:59, or 24:00 when `end`; minutes since midnight.
StatusOr<int> parseClock(const Reader& reader, std::string_view name, bool end) {
  auto text = reader.text(name, true);
  if (!text.isOk()) return text.status();
  const std::string& t = *text;
  auto digit = [&t](size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return reader.fail(name, "must be \"HH:MM\"");
  }
  const int hours = (t[0] - '0') * 10 + (t[1] - '0');
  const int minutes = (t[3] - '0') * 10 + (t[4] - '0');
  const bool midnight = end && hours == 24 && minutes == 0;
  if (!midnight && (hours > 23 || minutes > 59)) {
    return reader.fail(
        name, "not a time of day (00:00 to 23:59" + std::string(end ? ", or 24:00)" : ")"));
  }
  return hours * 60 + minutes;
}

StatusOr<RecordingPeriod> parsePeriod(const json::Value& value, const std::string& path) {
  const Reader reader(value, path);
  if (Status s = reader.check({"days", "start", "end", "what"}); !s.isOk()) return s;
  RecordingPeriod period;
  auto days = reader.texts("days", true, protocol::kMaxShortText);
  if (!days.isOk()) return days.status();
  for (size_t i = 0; i < days->size(); ++i) {
    const std::string item = "days[" + std::to_string(i) + "]";
    int day = 0;
    while (day < kDaysPerWeek && kDayNames[day] != (*days)[i]) ++day;
    if (day == kDaysPerWeek) {
      return reader.fail(item, "unknown day \"" + (*days)[i] + "\" (mon, tue, ... sun)");
    }
    if (period.onDay(day)) return reader.fail(item, "\"" + (*days)[i] + "\" given twice");
    period.days = static_cast<uint8_t>(period.days | 1 << day);
  }
  auto start = parseClock(reader, "start", false);
  if (!start.isOk()) return start.status();
  period.start_minute = *start;
  auto end = parseClock(reader, "end", true);
  if (!end.isOk()) return end.status();
  period.end_minute = *end;
  if (period.end_minute <= period.start_minute) return reader.fail("end", "must be after start");
  auto what = reader.text("what", true, protocol::kMaxLongText);
  if (!what.isOk()) return what.status();
  if (what->empty()) return reader.fail("what", "must not be empty");
  period.what = *what;
  return period;
}

StatusOr<std::vector<Retention>> parseRetention(const json::Value& value) {
  const Reader reader(value, "retention_days");
  if (value.kind != Kind::kObject) return reader.fail("", "must be an object");
  std::vector<Retention> retention;
  for (const json::Member& member : value.object) {
    if (member.first.empty() || member.first.size() > protocol::kMaxShortText) {
      return reader.fail(member.first, "not an event class name");
    }
    auto days = reader.integer(member.first, 0);
    if (!days.isOk()) return days.status();
    if (*days < 1 || *days > kMaxRetentionDays) {
      return reader.fail(member.first,
                         "must be a number of days from 1 to " + std::to_string(kMaxRetentionDays));
    }
    retention.push_back({member.first, *days});
  }
  return retention;
}

// The members the collector sets when it activates a policy (docs/fleet.md).
Status parseActivation(const Reader& reader, SessionPolicy& policy) {
  auto serial = reader.integer("serial", 0);
  if (!serial.isOk()) return serial.status();
  policy.serial = *serial;
  auto activated = reader.text("activated", false);
  if (!activated.isOk()) return activated.status();
  if (!activated->empty()) {
    // UTC, with or without milliseconds: "2026-12-01T08:00:00Z" or "...:00.000Z".
    std::string with_millis = *activated;
    if (with_millis.size() == 20 && with_millis.back() == 'Z') with_millis.insert(19, ".000");
    if (!protocol::parseUtcMillis(with_millis)) {
      return reader.fail("activated", "must be a UTC time such as \"2026-12-01T08:00:00Z\"");
    }
    policy.activated = *activated;
  }
  if (const json::Value* retention = reader.find("retention_days")) {
    auto parsed = parseRetention(*retention);
    if (!parsed.isOk()) return parsed.status();
    policy.retention_days = std::move(*parsed);
  }
  return Status::ok();
}

}  // namespace

std::string_view dayName(int weekday) { return kDayNames[static_cast<size_t>(weekday)]; }

std::string clockText(int minute_of_day) {
  const int hours = minute_of_day / 60;
  const int minutes = minute_of_day % 60;
  std::string text;
  text += static_cast<char>('0' + hours / 10);
  text += static_cast<char>('0' + hours % 10);
  text += ':';
  text += static_cast<char>('0' + minutes / 10);
  text += static_cast<char>('0' + minutes % 10);
  return text;
}

std::string noticeVersion(const SessionPolicy& policy) {
  return protocol::truncateUtf8(std::to_string(policy.serial) + "/" + policy.version,
                                protocol::kMaxShortText);
}

StatusOr<SessionPolicy> parseSessionPolicy(std::string_view text, const UserDirectories& user) {
  auto document = json::parse(text);
  if (!document.isOk()) return Status::invalidArgument("policy: " + document.status().message());
  const Reader reader(*document, "");
  // serial, activated and retention_days are set by the collector when it signs the document;
  // upload and queue are the service's settings (policy/workstation_policy.h).
  if (Status s = reader.check({"policy_version", "applications", "clipboard", "print",
                               "watched_places", "serial", "activated", "retention_days", "notice",
                               "recording_periods", "upload", "queue"});
      !s.isOk()) {
    return s;
  }
  SessionPolicy policy;
  auto version = reader.text("policy_version", true);
  if (!version.isOk()) return version.status();
  policy.version = *version;
  Status status;
  if (const auto* applications = reader.array("applications", status)) {
    for (size_t i = 0; i < applications->size(); ++i) {
      auto rule = parseApplication((*applications)[i], "applications[" + std::to_string(i) + "]");
      if (!rule.isOk()) return rule.status();
      policy.applications.push_back(std::move(*rule));
    }
  }
  if (!status.isOk()) return status;
  auto clipboard = reader.text("clipboard", false);
  if (!clipboard.isOk()) return clipboard.status();
  if (*clipboard == "all") {
    policy.clipboard = ClipboardSources::kAll;
  } else if (*clipboard == "none") {
    policy.clipboard = ClipboardSources::kNone;
  } else if (!clipboard->empty() && *clipboard != "named") {
    return reader.fail("clipboard", "must be \"named\", \"all\" or \"none\"");
  }
  auto print = reader.boolean("print");
  if (!print.isOk()) return print.status();
  policy.print = *print;
  if (const auto* places = reader.array("watched_places", status)) {
    for (size_t i = 0; i < places->size(); ++i) {
      auto place = parsePlace((*places)[i], "watched_places[" + std::to_string(i) + "]", user);
      if (!place.isOk()) return place.status();
      policy.watched_places.push_back(std::move(*place));
    }
  }
  if (!status.isOk()) return status;
  if (const json::Value* notice = reader.find("notice")) {
    auto parsed = parseNotice(*notice);
    if (!parsed.isOk()) return parsed.status();
    policy.notice = std::move(*parsed);
  }
  if (const auto* periods = reader.array("recording_periods", status)) {
    for (size_t i = 0; i < periods->size(); ++i) {
      auto period = parsePeriod((*periods)[i], "recording_periods[" + std::to_string(i) + "]");
      if (!period.isOk()) return period.status();
      policy.recording_periods.push_back(std::move(*period));
    }
  }
  if (!status.isOk()) return status;
  if (Status activation = parseActivation(reader, policy); !activation.isOk()) return activation;
  return policy;
}

StatusOr<SessionPolicy> loadSessionPolicy(const std::string& path, const UserDirectories& user) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::notFound("policy: cannot read " + path);
  std::string text;
  text.resize(kMaxPolicyBytes + 1);
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  if (text.size() > kMaxPolicyBytes) {
    return Status::invalidArgument("policy: " + path + " is larger than 1 MiB");
  }
  auto policy = parseSessionPolicy(text, user);
  if (!policy.isOk()) return policy.status().withContext(path);
  return policy;
}

}  // namespace vigie::session
