#include "vigie/platform/process_context.h"

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include <shellapi.h>

#include <cstdio>

#include "win32.h"

namespace vigie::platform {
namespace {

void (*g_stop)() = nullptr;

BOOL WINAPI onConsoleEvent(DWORD /*event*/) {
  // Ctrl-C, Ctrl-Break, console closed, logoff, shutdown: all ask the program to end.
  if (g_stop != nullptr) g_stop();
  return TRUE;
}

std::string environment(const wchar_t* name) {
  wchar_t value[32768];
  const DWORD size = GetEnvironmentVariableW(name, value, 32768);
  return size > 0 && size < 32768 ? win32::narrow(std::wstring_view(value, size)) : "";
}

}  // namespace

std::vector<std::string> programArguments(int /*argc*/, char** /*argv*/) {
  int count = 0;
  wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
  std::vector<std::string> arguments;
  for (int i = 1; wide != nullptr && i < count; ++i) arguments.push_back(win32::narrow(wide[i]));
  LocalFree(wide);
  return arguments;
}

void attachToParentConsole() {
  const bool given = GetStdHandle(STD_ERROR_HANDLE) != nullptr;
  if (given || !AttachConsole(ATTACH_PARENT_PROCESS)) return;
  // Started from a console without redirection: write there.
  FILE* ignored = nullptr;
  freopen_s(&ignored, "CONOUT$", "w", stdout);
  freopen_s(&ignored, "CONOUT$", "w", stderr);
}

CurrentUser currentUser() {
  CurrentUser user;
  wchar_t name[257];
  DWORD size = 257;
  if (GetUserNameW(name, &size) && size > 0)
    user.name = win32::narrow(std::wstring_view(name, size - 1));
  user.home = environment(L"USERPROFILE");
  if (user.home.empty()) user.home = "C:\\";
  return user;
}

std::string defaultSessionId(const std::string& /*display*/) {
  DWORD session = 0;
  ProcessIdToSessionId(GetCurrentProcessId(), &session);
  return "win:" + std::to_string(session);
}

void callOnStopRequest(void (*stop)()) {
  g_stop = stop;
  SetConsoleCtrlHandler(onConsoleEvent, TRUE);
}

}  // namespace vigie::platform
