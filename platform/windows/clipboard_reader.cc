#include "clipboard_reader.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "win32.h"

namespace vigie::platform::win32 {
namespace {

constexpr size_t kMaxFormats = 32;

std::string formatName(UINT format) {
  switch (format) {
    case CF_TEXT:
      return "CF_TEXT";
    case CF_UNICODETEXT:
      return "CF_UNICODETEXT";
    case CF_OEMTEXT:
      return "CF_OEMTEXT";
    case CF_LOCALE:
      return "CF_LOCALE";
    case CF_BITMAP:
      return "CF_BITMAP";
    case CF_DIB:
      return "CF_DIB";
    case CF_DIBV5:
      return "CF_DIBV5";
    case CF_HDROP:
      return "CF_HDROP";
    case CF_ENHMETAFILE:
      return "CF_ENHMETAFILE";
    default:
      break;
  }
  wchar_t name[128];
  const int length = GetClipboardFormatNameW(format, name, 128);
  return length > 0 ? narrow(std::wstring_view(name, static_cast<size_t>(length)))
                    : "format:" + std::to_string(format);
}

// Another program may hold the clipboard open for a moment.
bool openClipboard() {
  for (int attempt = 0; attempt < 20; ++attempt) {
    if (OpenClipboard(nullptr)) return true;
    Sleep(10);
  }
  return false;
}

// Text as UTF-8, measured without a copy when it is too large to be read.
void readText(ClipboardChange& change, size_t max_text_bytes) {
  HANDLE data = GetClipboardData(CF_UNICODETEXT);
  if (data == nullptr) return;
  const auto* text = static_cast<const wchar_t*>(GlobalLock(data));
  if (text == nullptr) return;
  const size_t capacity = GlobalSize(data) / sizeof(wchar_t);
  const std::wstring_view wide(text, wcsnlen(text, capacity));
  change.size_bytes = static_cast<uint64_t>(WideCharToMultiByte(
      CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), nullptr, 0, nullptr, nullptr));
  if (change.size_bytes <= max_text_bytes) {
    change.text = narrow(wide);
    change.text_read = true;
  }
  GlobalUnlock(data);
}

// What the worker reads; shared with it, since it may outlive the wait.
struct Reading {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  ClipboardChange change;
  ~Reading() { SecureZeroMemory(change.text.data(), change.text.size()); }
};

}  // namespace

ClipboardChange readClipboard(size_t max_text_bytes, DWORD timeout_ms) {
  ClipboardChange change;
  if (HWND owner = GetClipboardOwner(); owner != nullptr) {
    WindowOwner found = windowOwner(owner);
    change.owner_pid = found.pid;
    change.owner_process = std::move(found.process);
    change.owner_class = std::move(found.window_class);
  }
  auto reading = std::make_shared<Reading>();
  std::thread([reading, max_text_bytes] {
    ClipboardChange read;
    if (openClipboard()) {
      for (UINT format = EnumClipboardFormats(0); format != 0 && read.formats.size() < kMaxFormats;
           format = EnumClipboardFormats(format)) {
        read.formats.push_back(formatName(format));
      }
      if (IsClipboardFormatAvailable(CF_UNICODETEXT)) readText(read, max_text_bytes);
      CloseClipboard();
    }
    std::lock_guard lock(reading->mu);
    reading->change = std::move(read);
    reading->done = true;
    reading->done_cv.notify_all();
  }).detach();
  std::unique_lock lock(reading->mu);
  if (reading->done_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                [&] { return reading->done; })) {
    change.formats = std::move(reading->change.formats);
    change.size_bytes = reading->change.size_bytes;
    change.text_read = reading->change.text_read;
    change.text = std::move(reading->change.text);
  }
  return change;
}

}  // namespace vigie::platform::win32
