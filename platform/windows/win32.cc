#include "win32.h"

#include <climits>

namespace vigie::platform::win32 {

std::wstring widen(std::string_view utf8) {
  if (utf8.empty() || utf8.size() > INT_MAX) return {};
  const int size = static_cast<int>(utf8.size());
  const int wide = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, nullptr, 0);
  std::wstring out(static_cast<size_t>(wide), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, out.data(), wide);
  return out;
}

std::string narrow(std::wstring_view utf16) {
  if (utf16.empty() || utf16.size() > INT_MAX) return {};
  const int size = static_cast<int>(utf16.size());
  const int bytes =
      WideCharToMultiByte(CP_UTF8, 0, utf16.data(), size, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<size_t>(bytes), '\0');
  WideCharToMultiByte(CP_UTF8, 0, utf16.data(), size, out.data(), bytes, nullptr, nullptr);
  return out;
}

Status win32Error(const std::string& context, DWORD error) {
  wchar_t* text = nullptr;
  const DWORD length = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, error, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  std::string message = length > 0 ? narrow(std::wstring_view(text, length)) : "";
  LocalFree(text);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r' ||
                              message.back() == ' ' || message.back() == '.')) {
    message.pop_back();
  }
  message = context + ": " + (message.empty() ? "system error" : message) + " (error " +
            std::to_string(error) + ")";
  switch (error) {
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
      return Status::resourceExhausted(std::move(message));
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
      return Status::notFound(std::move(message));
    case ERROR_ACCESS_DENIED:
      return Status::permissionDenied(std::move(message));
    default:
      return Status::ioError(std::move(message));
  }
}

namespace {

std::string processImageName(DWORD pid) {
  UniqueHandle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
  if (!process.valid()) return {};
  wchar_t path[MAX_PATH * 2];
  DWORD size = MAX_PATH * 2;
  if (!QueryFullProcessImageNameW(process.get(), 0, path, &size)) return {};
  std::wstring_view full(path, size);
  const size_t slash = full.find_last_of(L"\\/");
  return narrow(slash == std::wstring_view::npos ? full : full.substr(slash + 1));
}

}  // namespace

WindowOwner windowOwner(HWND window) {
  WindowOwner owner;
  DWORD pid = 0;
  GetWindowThreadProcessId(window, &pid);
  owner.pid = static_cast<int32_t>(pid);
  owner.process = processImageName(pid);
  wchar_t class_name[256];
  if (const int length = GetClassNameW(window, class_name, 256); length > 0) {
    owner.window_class = narrow(std::wstring_view(class_name, static_cast<size_t>(length)));
  }
  return owner;
}

}  // namespace vigie::platform::win32
