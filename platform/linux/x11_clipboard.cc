#include "x11_clipboard.h"

#include <string.h>
#include <xcb/xfixes.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "process_name.h"

namespace vigie::platform::x11 {
namespace {

constexpr int64_t kOwnerAnswerMillis = 1000;
constexpr size_t kMaxFormats = 32;
constexpr size_t kMaxUrlBytes = 2048;

// Text targets in order of preference; the first one offered is measured and classified.
constexpr std::array<std::string_view, 4> kTextTargets = {"UTF8_STRING", "text/plain;charset=utf-8",
                                                          "STRING", "TEXT"};
// Targets that describe the selection rather than hold its data.
constexpr std::array<std::string_view, 7> kMetaTargets = {"TARGETS",
                                                          "TIMESTAMP",
                                                          "MULTIPLE",
                                                          "SAVE_TARGETS",
                                                          "DELETE",
                                                          "chromium/x-source-url",
                                                          "text/x-moz-url-priv"};

bool contains(auto list, std::string_view name) {
  for (const std::string_view item : list) {
    if (item == name) return true;
  }
  return false;
}

void wipe(std::string& text) {
  explicit_bzero(text.data(), text.size());
  text.clear();
}

}  // namespace

ClipboardTracker::ClipboardTracker(Connection& x, size_t max_text_bytes)
    : x_(x),
      max_text_bytes_(max_text_bytes),
      clipboard_(x.atom("CLIPBOARD")),
      targets_(x.atom("TARGETS")),
      incr_(x.atom("INCR")),
      property_(x.atom("VIGIE_SELECTION")),
      source_url_(x.atom("chromium/x-source-url")) {}

ClipboardTracker::~ClipboardTracker() {
  wipe(change_.text);
  if (window_ != XCB_WINDOW_NONE) xcb_destroy_window(x_.get(), window_);
}

Status ClipboardTracker::start() {
  const xcb_query_extension_reply_t* xfixes = xcb_get_extension_data(x_.get(), &xcb_xfixes_id);
  if (xfixes == nullptr || xfixes->present == 0) {
    return Status::failedPrecondition(
        "the X server has no XFixes extension: clipboard not watched");
  }
  Reply<xcb_xfixes_query_version_reply_t> version(
      xcb_xfixes_query_version_reply(x_.get(), xcb_xfixes_query_version(x_.get(), 5, 0), nullptr));
  if (!version) return Status::failedPrecondition("XFixes did not answer");
  xfixes_first_event_ = xfixes->first_event;
  window_ = xcb_generate_id(x_.get());
  xcb_create_window(x_.get(), XCB_COPY_FROM_PARENT, window_, x_.root(), 0, 0, 1, 1, 0,
                    XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT, 0, nullptr);
  xcb_xfixes_select_selection_input(x_.get(), window_, clipboard_,
                                    XCB_XFIXES_SELECTION_EVENT_MASK_SET_SELECTION_OWNER);
  return Status::ok();
}

bool ClipboardTracker::onEvent(const xcb_generic_event_t& event, DesktopListener& listener) {
  const uint8_t type = event.response_type & 0x7f;
  if (window_ != XCB_WINDOW_NONE && type == xfixes_first_event_ + XCB_XFIXES_SELECTION_NOTIFY) {
    const auto& notify = reinterpret_cast<const xcb_xfixes_selection_notify_event_t&>(event);
    if (notify.selection == clipboard_ && notify.owner != XCB_WINDOW_NONE &&
        notify.owner != window_) {
      begin(notify.owner, notify.selection_timestamp, listener);
    }
    return true;
  }
  if (type == XCB_SELECTION_NOTIFY) {
    const auto& notify = reinterpret_cast<const xcb_selection_notify_event_t&>(event);
    if (notify.requestor != window_) return false;
    onSelectionNotify(notify, listener);
    return true;
  }
  return false;
}

std::optional<int64_t> ClipboardTracker::deadline() const {
  if (step_ == Step::kIdle) return std::nullopt;
  return deadline_;
}

void ClipboardTracker::onTimer(DesktopListener& listener) {
  if (step_ != Step::kIdle && steadyMillis() >= deadline_) finish(listener);
}

void ClipboardTracker::begin(xcb_window_t owner, xcb_timestamp_t time, DesktopListener& listener) {
  if (step_ != Step::kIdle) finish(listener);  // a newer copy replaced one still being asked
  change_ = ClipboardChange{};
  change_.owner_pid = x_.clientPid(owner);
  change_.owner_process = sanitizedUtf8(processName(change_.owner_pid), 256);
  const std::string wm_class = x_.readProperty(owner, XCB_ATOM_WM_CLASS, 512);
  const size_t split = wm_class.find('\0');
  if (split != std::string::npos) {
    change_.owner_class = sanitizedUtf8(wm_class.substr(split + 1).c_str(), 256);
  }
  content_target_ = XCB_ATOM_NONE;
  content_is_text_ = false;
  time_ = time;
  deadline_ = steadyMillis() + kOwnerAnswerMillis;
  request(Step::kTargets, targets_);
}

void ClipboardTracker::request(Step step, xcb_atom_t target) {
  step_ = step;
  xcb_delete_property(x_.get(), window_, property_);
  xcb_convert_selection(x_.get(), window_, clipboard_, target, property_, time_);
  xcb_flush(x_.get());
}

void ClipboardTracker::onSelectionNotify(const xcb_selection_notify_event_t& event,
                                         DesktopListener& listener) {
  if (step_ == Step::kIdle) return;  // an answer that came after we gave up
  const bool refused = event.property == XCB_ATOM_NONE;
  switch (step_) {
    case Step::kTargets: {
      if (!refused) chooseTargets(x_.readProperty(window_, property_, 4 * 256));
      afterTargets(listener);
      return;
    }
    case Step::kUrl: {
      if (!refused) {
        std::string url = x_.readProperty(window_, property_, kMaxUrlBytes);
        change_.source_url = sanitizedUtf8(url, kMaxUrlBytes);
      }
      if (change_.source_url && change_.source_url->empty()) change_.source_url.reset();
      if (content_target_ == XCB_ATOM_NONE) return finish(listener);
      return request(Step::kContent, content_target_);
    }
    case Step::kContent: {
      if (!refused) {
        xcb_atom_t type = XCB_NONE;
        Reply<xcb_get_property_reply_t> size(xcb_get_property_reply(
            x_.get(),
            xcb_get_property(x_.get(), 0, window_, property_, XCB_GET_PROPERTY_TYPE_ANY, 0, 0),
            nullptr));
        if (size) {
          type = size->type;
          change_.size_bytes = size->bytes_after;
        }
        if (type == incr_) {
          // A large transfer in chunks: the value is a lower bound of its size. Not read.
          const std::string bound = x_.readProperty(window_, property_, 4);
          uint32_t value = 0;
          if (bound.size() == 4) memcpy(&value, bound.data(), 4);
          change_.size_bytes = value;
        } else if (content_is_text_ && change_.size_bytes <= max_text_bytes_) {
          readText();
        }
        xcb_delete_property(x_.get(), window_, property_);
      }
      return finish(listener);
    }
    case Step::kIdle:
      return;
  }
}

void ClipboardTracker::chooseTargets(const std::string& atoms) {
  xcb_atom_t first_data = XCB_ATOM_NONE;
  size_t best_text = kTextTargets.size();
  for (size_t i = 0; i + 4 <= atoms.size(); i += 4) {
    xcb_atom_t atom = XCB_ATOM_NONE;
    memcpy(&atom, atoms.data() + i, 4);
    const std::string name = sanitizedUtf8(x_.atomName(atom), 256);
    if (name.empty()) continue;
    if (name == "chromium/x-source-url") change_.source_url = "";  // asked for next
    if (contains(kMetaTargets, name)) continue;
    if (change_.formats.size() < kMaxFormats) change_.formats.push_back(name);
    const auto text = std::find(kTextTargets.begin(), kTextTargets.end(), std::string_view(name));
    if (text != kTextTargets.end() &&
        static_cast<size_t>(text - kTextTargets.begin()) < best_text) {
      best_text = static_cast<size_t>(text - kTextTargets.begin());
      content_target_ = atom;
    }
    if (first_data == XCB_ATOM_NONE) first_data = atom;
  }
  content_is_text_ = best_text < kTextTargets.size();
  if (!content_is_text_) content_target_ = first_data;
}

void ClipboardTracker::readText() {
  const auto words = static_cast<uint32_t>((change_.size_bytes + 3) / 4);
  Reply<xcb_get_property_reply_t> reply(xcb_get_property_reply(
      x_.get(),
      xcb_get_property(x_.get(), 0, window_, property_, XCB_GET_PROPERTY_TYPE_ANY, 0, words),
      nullptr));
  if (!reply) return;
  const auto length = static_cast<size_t>(xcb_get_property_value_length(reply.get()));
  auto* value = static_cast<char*>(xcb_get_property_value(reply.get()));
  change_.text.assign(value, length);
  change_.text_read = true;
  explicit_bzero(value, length);  // the copy in change_ is wiped after the listener ran
}

void ClipboardTracker::afterTargets(DesktopListener& listener) {
  if (change_.source_url) return request(Step::kUrl, source_url_);
  if (content_target_ == XCB_ATOM_NONE) return finish(listener);
  request(Step::kContent, content_target_);
}

void ClipboardTracker::finish(DesktopListener& listener) {
  step_ = Step::kIdle;
  if (change_.source_url && change_.source_url->empty()) change_.source_url.reset();
  listener.onClipboardChange(change_);
  wipe(change_.text);
}

}  // namespace vigie::platform::x11
