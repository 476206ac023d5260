#pragma once

// Helpers for the Windows implementations (platform/windows/, crypto/windows/): text between
// UTF-8 (ours) and UTF-16 (the wide win32 API), win32 errors as Status, owned handles.

#include <windows.h>

#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::platform::win32 {

std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);

// The one place a win32 error code becomes a Status: disk full -> resource exhausted, file or
// path not found -> not found, access denied -> permission denied, anything else -> I/O error.
// "context: <system message> (error N)".
Status win32Error(const std::string& context, DWORD error = GetLastError());

// Owns a kernel handle; closes it when destroyed. INVALID_HANDLE_VALUE and null both mean none.
class UniqueHandle {
 public:
  explicit UniqueHandle(HANDLE handle = nullptr) : handle_(handle) {}
  ~UniqueHandle() { reset(); }
  UniqueHandle(UniqueHandle&& other) noexcept : handle_(other.release()) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = other.release();
    }
    return *this;
  }
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;

  HANDLE get() const { return handle_; }
  bool valid() const { return handle_ != nullptr && handle_ != INVALID_HANDLE_VALUE; }
  HANDLE release() {
    HANDLE handle = handle_;
    handle_ = nullptr;
    return handle;
  }
  void reset() {
    if (valid()) CloseHandle(handle_);
    handle_ = nullptr;
  }

 private:
  HANDLE handle_;
};

// The process behind a window: its id, its executable's file name (no folder) and the window's
// class; "" (0) for what cannot be read.
struct WindowOwner {
  int32_t pid = 0;
  std::string process;
  std::string window_class;
};
WindowOwner windowOwner(HWND window);

}  // namespace vigie::platform::win32
