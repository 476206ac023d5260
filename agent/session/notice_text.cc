#include "notice_text.h"

#include <map>
#include <set>
#include <vector>

namespace vigie::session {
namespace {

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// The collector's retention classes (collector/audit/retention.cc) in the person's words.
std::string retentionClassText(const std::string& event_class) {
  static const std::map<std::string, std::string> kWords = {
      {"access", "screens and records viewed"},
      {"exports", "copies, files saved and prints"},
      {"sessions", "session start, lock and end, notices shown"},
      {"alerts", "alerts about unusual use"},
      {"calls", "call metadata"},
      {"crm", "the CRM's own records of your actions"},
      {"agent", "the recording software's own events"}};
  const auto found = kWords.find(event_class);
  return found != kWords.end() ? found->second : event_class;
}

std::string placeText(protocol::PathClass path_class) {
  switch (path_class) {
    case protocol::PathClass::kDownloads:
      return "Downloads";
    case protocol::PathClass::kDesktop:
      return "the desktop";
    case protocol::PathClass::kRemovable:
      return "removable media";
    case protocol::PathClass::kNetworkShare:
      return "network shares";
    case protocol::PathClass::kOther:
      break;
  }
  return "other watched folders";
}

std::string recordedText(const SessionPolicy& policy) {
  std::vector<std::string> parts;
  std::set<std::string> brands;
  bool focus = false;
  for (const ApplicationRule& application : policy.applications) {
    if (!application.screens.empty()) brands.insert(application.brand);
    focus = focus || application.focus;
  }
  if (!brands.empty()) {
    parts.push_back("customer records viewed or edited in the CRMs of " +
                    joined(std::vector<std::string>(brands.begin(), brands.end()), ", ") +
                    " (screen, record id)");
  }
  if (focus) parts.push_back("when the work applications named by the policy are in front");
  if (policy.clipboard == ClipboardSources::kNamed && !policy.applications.empty()) {
    parts.push_back(
        "copies from these applications (origin, size, kinds of personal data - never the text)");
  } else if (policy.clipboard == ClipboardSources::kAll) {
    parts.push_back(
        "copies to the clipboard (origin, size, kinds of personal data - never the "
        "text)");
  }
  std::set<std::string> places;
  for (const WatchedPlace& place : policy.watched_places) {
    places.insert(placeText(place.path_class));
  }
  if (!places.empty()) {
    parts.push_back("files saved to " +
                    joined(std::vector<std::string>(places.begin(), places.end()), ", ") +
                    " (kind, size - never the content)");
  }
  if (policy.print) parts.push_back("print jobs (printer, pages - never the document)");
  parts.push_back("session start, lock, unlock and end");
  return "Recorded: " + joined(parts, "; ") + ". Never keystrokes, screens or contents.";
}

std::string keptText(const SessionPolicy& policy) {
  if (policy.retention_days.empty()) return "Kept: as your employer's policy states.";
  std::map<uint64_t, std::vector<std::string>> by_days;
  for (const Retention& retention : policy.retention_days) {
    by_days[retention.days].push_back(retentionClassText(retention.event_class));
  }
  std::vector<std::string> parts;
  for (const auto& [days, classes] : by_days) {
    parts.push_back(std::to_string(days) + " days: " + joined(classes, ", "));
  }
  return "Kept: " + joined(parts, "; ") + ".";
}

std::string spanText(const RecordingPeriod& period) {
  return clockText(period.start_minute) + " to " + clockText(period.end_minute);
}

}  // namespace

NoticeMessage processingNotice(const SessionPolicy& policy) {
  NoticeMessage message;
  message.id = kProcessingNotice;
  message.summary = "Vigie records how customer data is handled in this session";
  std::vector<std::string> lines{recordedText(policy)};
  if (policy.notice) {
    lines.push_back("Purposes: " + joined(policy.notice->purposes, "; ") + ".");
  }
  lines.push_back(keptText(policy));
  if (policy.notice) {
    if (!policy.notice->recipients.empty()) {
      lines.push_back("Read by: " + joined(policy.notice->recipients, "; ") + ".");
    }
    lines.push_back("Controller: " + policy.notice->controller +
                    ". Questions and your rights: " + policy.notice->contact + ".");
  }
  lines.push_back("What was recorded about you today: vigie-session --my-data");
  message.body = joined(lines, "\n");
  return message;
}

NoticeMessage periodStartNotice(const RecordingPeriod& period, bool already_started) {
  NoticeMessage message;
  message.id = kPeriodStartNotice;
  message.summary = already_started ? "Calls may be recorded or listened to (period in progress)"
                                    : "Calls may now be recorded or listened to";
  message.body = period.what + "\nToday from " + spanText(period) + ".";
  return message;
}

NoticeMessage periodEndNotice(const RecordingPeriod& period) {
  NoticeMessage message;
  message.id = kPeriodEndNotice;
  message.summary = "Calls are no longer recorded or listened to";
  message.body = "The period from " + spanText(period) + " has ended.";
  return message;
}

}  // namespace vigie::session
