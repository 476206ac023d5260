#include "window_recognizer.h"

namespace vigie::session {
namespace {

bool processMatches(const ApplicationRule& rule, const std::string& process,
                    const std::string& window_class) {
  return (!process.empty() && std::regex_search(process, rule.process)) ||
         (!window_class.empty() && std::regex_search(window_class, rule.process));
}

}  // namespace

std::optional<Recognized> recognizeWindow(const SessionPolicy& policy,
                                          const platform::ForegroundWindow& window) {
  for (const ApplicationRule& rule : policy.applications) {
    if (!processMatches(rule, window.process, window.window_class)) continue;
    if (rule.title && !std::regex_search(window.title, *rule.title)) continue;
    for (const ScreenRule& screen : rule.screens) {
      std::smatch match;
      if (!std::regex_search(window.title, match, screen.title) || match[1].length() == 0 ||
          static_cast<size_t>(match[1].length()) > protocol::kMaxShortText) {
        continue;
      }
      protocol::CrmView view;
      view.app = rule.app;
      view.screen = screen.screen;
      view.record_id = match[1].str();
      view.mode = screen.mode;
      view.brand = rule.brand;
      if (screen.keep_title) view.title = window.title;
      return Recognized{protocol::EventType::kCrmView, std::move(view)};
    }
    if (rule.focus) {
      protocol::AppFocus focus;
      focus.app = rule.app;
      if (rule.keep_title) focus.title = window.title;
      return Recognized{protocol::EventType::kAppFocus, std::move(focus)};
    }
    return std::nullopt;  // the application is named, this window of it is not recorded
  }
  return std::nullopt;
}

const ApplicationRule* applicationOfCopy(const SessionPolicy& policy,
                                         const platform::ClipboardChange& change) {
  for (const ApplicationRule& rule : policy.applications) {
    if (change.source_url) {
      for (const std::regex& url : rule.source_urls) {
        if (std::regex_search(*change.source_url, url)) return &rule;
      }
    }
  }
  for (const ApplicationRule& rule : policy.applications) {
    if (rule.source_urls.empty() &&
        processMatches(rule, change.owner_process, change.owner_class)) {
      return &rule;
    }
  }
  return nullptr;
}

}  // namespace vigie::session
