// vigie-test-crm.exe: a small Win32 application the Windows sensor tests drive, standing for a
// desktop CRM. It runs a script given on its command line, in order, pumping its messages
// between steps so that it behaves like a live application:
//   --title TEXT     show its window (first time) or retitle it, and bring it to the front
//   --copy TEXT      put TEXT on the clipboard as Unicode text
//   --export PATH    write PATH (the --content lines, CRLF-ended) and close it
//   --content TEXT   one line for the next --export (repeatable)
//   --wait MS        keep running MS milliseconds
// Exit status 0 when every step worked, 1 otherwise (the message says which).

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include <shellapi.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

HWND g_window = nullptr;

void pump(DWORD millis) {
  const DWORD end = GetTickCount() + millis;
  while (true) {
    MSG message;
    while (PeekMessageW(&message, nullptr, 0, 0, PM_REMOVE)) {
      TranslateMessage(&message);
      DispatchMessageW(&message);
    }
    const DWORD now = GetTickCount();
    if (static_cast<LONG>(end - now) <= 0) return;
    MsgWaitForMultipleObjects(0, nullptr, FALSE, end - now, QS_ALLINPUT);
  }
}

bool showTitle(const std::wstring& title) {
  if (g_window == nullptr) {
    WNDCLASSW window_class{};
    window_class.lpfnWndProc = DefWindowProcW;
    window_class.hInstance = GetModuleHandleW(nullptr);
    window_class.lpszClassName = L"VigieTestCrm";
    window_class.hbrBackground = reinterpret_cast<HBRUSH>(COLOR_WINDOW + 1);
    RegisterClassW(&window_class);
    g_window = CreateWindowExW(0, L"VigieTestCrm", title.c_str(), WS_OVERLAPPEDWINDOW, 50, 50, 640,
                               400, nullptr, nullptr, GetModuleHandleW(nullptr), nullptr);
    if (g_window == nullptr) return false;
    ShowWindow(g_window, SW_SHOW);
  } else if (!SetWindowTextW(g_window, title.c_str())) {
    return false;
  }
  SetForegroundWindow(g_window);
  pump(50);
  return true;
}

bool copyText(const std::wstring& text) {
  if (!OpenClipboard(g_window)) return false;
  EmptyClipboard();
  const size_t bytes = (text.size() + 1) * sizeof(wchar_t);
  HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, bytes);
  bool done = false;
  if (memory != nullptr) {
    std::memcpy(GlobalLock(memory), text.c_str(), bytes);
    GlobalUnlock(memory);
    done = SetClipboardData(CF_UNICODETEXT, memory) != nullptr;
    if (!done) GlobalFree(memory);
  }
  CloseClipboard();
  pump(50);
  return done;
}

bool exportFile(const std::wstring& path, const std::vector<std::wstring>& lines) {
  HANDLE file = CreateFileW(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return false;
  bool done = true;
  for (const std::wstring& line : lines) {
    const int size =
        WideCharToMultiByte(CP_UTF8, 0, line.c_str(), -1, nullptr, 0, nullptr, nullptr);
    std::string utf8(static_cast<size_t>(size > 0 ? size - 1 : 0), '\0');
    WideCharToMultiByte(CP_UTF8, 0, line.c_str(), -1, utf8.data(), size, nullptr, nullptr);
    utf8 += "\r\n";
    DWORD written = 0;
    done = done &&
           WriteFile(file, utf8.data(), static_cast<DWORD>(utf8.size()), &written, nullptr) &&
           written == utf8.size();
  }
  CloseHandle(file);
  return done;
}

}  // namespace

int main() {
  int count = 0;
  wchar_t** args = CommandLineToArgvW(GetCommandLineW(), &count);
  std::vector<std::wstring> content;
  for (int i = 1; i + 1 < count; i += 2) {
    const std::wstring step = args[i];
    const std::wstring value = args[i + 1];
    bool done = true;
    if (step == L"--title") {
      done = showTitle(value);
    } else if (step == L"--copy") {
      done = copyText(value);
    } else if (step == L"--content") {
      content.push_back(value);
    } else if (step == L"--export") {
      done = exportFile(value, content);
      content.clear();
    } else if (step == L"--wait") {
      pump(static_cast<DWORD>(_wtoi(value.c_str())));
    } else {
      std::fprintf(stderr, "vigie-test-crm: unknown step %ls\n", step.c_str());
      return 1;
    }
    if (!done) {
      std::fprintf(stderr, "vigie-test-crm: %ls %ls failed (error %lu)\n", step.c_str(),
                   value.c_str(), GetLastError());
      return 1;
    }
  }
  if (count % 2 == 0) {
    std::fprintf(stderr, "vigie-test-crm: a step has no value\n");
    return 1;
  }
  LocalFree(args);
  if (g_window != nullptr) DestroyWindow(g_window);
  return 0;
}
