#include "session_sensor.h"

#include "export_inspector.h"
#include "pii_classifier.h"
#include "vigie/protocol/json_codec.h"
#include "window_recognizer.h"

namespace vigie::session {
namespace {

std::string draftLine(protocol::EventType type, protocol::Payload data,
                      const std::string& session) {
  protocol::Draft draft;
  draft.type = type;
  draft.data = std::move(data);
  draft.session = session;
  return protocol::toJson(draft);
}

}  // namespace

SessionSensor::SessionSensor(const SessionPolicy& policy, ServiceLink& link, std::string session_id,
                             int64_t debounce_millis)
    : policy_(policy),
      link_(link),
      session_id_(std::move(session_id)),
      debounce_millis_(debounce_millis) {}

std::string SessionSensor::logonLine(const std::string& session_id) {
  return draftLine(protocol::EventType::kSessionLogon, protocol::SessionChange{}, session_id);
}

void SessionSensor::end() {
  if (pending_window_) considerWindow(*pending_window_);
  link_.sendLastAndClose(
      draftLine(protocol::EventType::kSessionLogoff, protocol::SessionChange{}, session_id_));
}

std::string SessionSensor::noticeLine(const std::string& session_id, protocol::Notice notice) {
  return draftLine(protocol::EventType::kNoticeShown, std::move(notice), session_id);
}

void SessionSensor::emit(protocol::EventType type, protocol::Payload data) {
  link_.send(draftLine(type, std::move(data), session_id_));
}

void SessionSensor::onForegroundWindow(const platform::ForegroundWindow& window) {
  pending_window_ = window;
  window_due_ = platform::steadyMillis() + debounce_millis_;
}

void SessionSensor::considerWindow(platform::ForegroundWindow window) {
  pending_window_.reset();
  std::optional<Recognized> recognized = recognizeWindow(policy_, window);
  if (!recognized) {
    last_window_event_.clear();
    return;
  }
  std::string key = protocol::dataToJson(recognized->data);
  if (key == last_window_event_) return;  // same screen and record, e.g. a title refresh
  last_window_event_ = std::move(key);
  emit(recognized->type, std::move(recognized->data));
}

void SessionSensor::onClipboardChange(const platform::ClipboardChange& change) {
  if (policy_.clipboard == ClipboardSources::kNone) return;
  const ApplicationRule* application = applicationOfCopy(policy_, change);
  if (application == nullptr && policy_.clipboard == ClipboardSources::kNamed) return;

  protocol::ClipboardCopy copy;
  if (application != nullptr) {
    copy.source_app = application->app;
  } else {
    copy.source_app = !change.owner_process.empty() ? change.owner_process
                      : !change.owner_class.empty() ? change.owner_class
                                                    : "unknown";
  }
  copy.source_url = change.source_url;
  copy.formats = change.formats;
  copy.size_bytes = change.size_bytes;
  if (change.text_read) copy.pii = classifyPii(change.text);
  emit(protocol::EventType::kClipboardCopy, std::move(copy));
}

void SessionSensor::onFileWritten(const platform::FileWritten& file) {
  if (file.place >= policy_.watched_places.size()) return;
  std::optional<protocol::FileExport> described =
      inspectExport(file.path, policy_.watched_places[file.place].path_class, "unknown");
  if (described) emit(protocol::EventType::kFileExport, std::move(*described));
}

void SessionSensor::onScreenLock(bool locked) {
  if (locked_ == locked) return;
  locked_ = locked;
  emit(locked ? protocol::EventType::kSessionLock : protocol::EventType::kSessionUnlock,
       protocol::SessionChange{});
}

void SessionSensor::onPrintJob(const platform::PrintJobDone& job) {
  protocol::PrintJob print;
  print.printer = job.printer;
  print.pages = job.pages;
  print.copies = job.copies;
  print.document_class = job.document_class;
  emit(protocol::EventType::kPrintJob, std::move(print));
}

std::optional<int64_t> SessionSensor::nextTimerMillis() const {
  std::optional<int64_t> due = link_.retryDueMillis();
  if (pending_window_ && (!due || window_due_ < *due)) due = window_due_;
  if (const auto notice_in = notices_ ? notices_->nextDueInMillis() : std::nullopt) {
    const int64_t notice_due = platform::steadyMillis() + *notice_in;
    if (!due || notice_due < *due) due = notice_due;
  }
  return due;
}

void SessionSensor::onTimer() {
  if (pending_window_ && platform::steadyMillis() >= window_due_) considerWindow(*pending_window_);
  if (notices_ != nullptr) notices_->onTime();
  link_.retry();
}

}  // namespace vigie::session
