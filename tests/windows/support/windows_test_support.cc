#include "windows_test_support.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigie::wintest {

TempDir::TempDir() {
  static int counter = 0;
  wchar_t base[MAX_PATH + 1];
  const DWORD length = GetTempPathW(MAX_PATH + 1, base);
  std::wstring path = std::wstring(base, length) + L"vigie-test-" +
                      std::to_wstring(GetCurrentProcessId()) + L"-" + std::to_wstring(++counter);
  std::filesystem::create_directories(path);
  path_ = narrow(path);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(widen(path_), ignored);
}

std::string readFile(const std::string& path) {
  std::ifstream file(std::filesystem::path(widen(path)), std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream file(std::filesystem::path(widen(path)), std::ios::binary);
  file << content;
}

namespace {

// Quoted as CommandLineToArgvW reads it back.
std::wstring quote(const std::wstring& arg) {
  std::wstring out = L"\"";
  size_t backslashes = 0;
  for (const wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    out.append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    backslashes = 0;
    out += c;
  }
  out.append(backslashes * 2, L'\\');
  return out + L"\"";
}

BOOL CALLBACK closeWindowOf(HWND window, LPARAM pid) {
  DWORD owner = 0;
  GetWindowThreadProcessId(window, &owner);
  if (owner == static_cast<DWORD>(pid)) PostMessageW(window, WM_CLOSE, 0, 0);
  return TRUE;
}

}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::string& output_file) {
  std::wstring command = quote(widen(program));
  for (const std::string& arg : args) command += L" " + quote(widen(arg));
  SECURITY_ATTRIBUTES inherit{sizeof inherit, nullptr, TRUE};
  HANDLE output =
      CreateFileW(widen(output_file).c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                  &inherit, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdOutput = output;
  startup.hStdError = output;
  startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  PROCESS_INFORMATION info{};
  if (CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &startup,
                     &info)) {
    CloseHandle(info.hThread);
    process_ = info.hProcess;
    pid_ = info.dwProcessId;
  }
  if (output != INVALID_HANDLE_VALUE) CloseHandle(output);
}

ChildProcess::~ChildProcess() {
  if (process_ == nullptr) return;
  if (WaitForSingleObject(process_, 0) == WAIT_TIMEOUT) {
    TerminateProcess(process_, 9);
    WaitForSingleObject(process_, 5000);
  }
  CloseHandle(process_);
}

long ChildProcess::wait(DWORD millis) {
  if (process_ == nullptr || WaitForSingleObject(process_, millis) != WAIT_OBJECT_0) return -1;
  DWORD code = 0;
  GetExitCodeProcess(process_, &code);
  return static_cast<long>(code);
}

void ChildProcess::requestClose() { EnumWindows(closeWindowOf, static_cast<LPARAM>(pid_)); }

PipeRecorder::PipeRecorder(std::string pipe_name) : name_(std::move(pipe_name)) {
  auto listener = platform::listenLocal(name_, 0);
  if (!listener.isOk()) return;
  listener_ = std::move(listener).value();
  acceptor_ = std::thread([this] {
    while (true) {
      auto stream = listener_->accept();
      if (!stream.isOk() || *stream == nullptr) return;
      std::lock_guard lock(mu_);
      streams_.push_back(stream->get());
      connections_.emplace_back(
          [this, owned = std::move(stream).value()]() mutable { serve(std::move(owned)); });
    }
  });
}

PipeRecorder::~PipeRecorder() {
  if (listener_ == nullptr) return;
  listener_->shutdown();
  acceptor_.join();
  {
    std::lock_guard lock(mu_);
    for (platform::LocalStream* stream : streams_) stream->shutdown();
  }
  for (std::thread& connection : connections_) connection.join();
}

void PipeRecorder::serve(platform::LocalStreamPtr stream) {
  std::string pending;
  uint64_t seq = 0;
  char buffer[4096];
  while (true) {
    auto got = stream->read(buffer, sizeof buffer);
    if (!got.isOk() || *got == 0) break;
    pending.append(buffer, *got);
    for (size_t newline; (newline = pending.find('\n')) != std::string::npos;) {
      {
        std::lock_guard lock(mu_);
        lines_.push_back(Line{pending.substr(0, newline), stream->peer()});
      }
      changed_.notify_all();
      pending.erase(0, newline + 1);
      if (!stream->writeAll("ok " + std::to_string(++seq) + "\n").isOk()) break;
    }
  }
  std::lock_guard lock(mu_);
  std::erase(streams_, stream.get());
}

std::vector<PipeRecorder::Line> PipeRecorder::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

bool PipeRecorder::waitFor(const std::function<bool(const std::vector<Line>&)>& done,
                           DWORD millis) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, std::chrono::milliseconds(millis), [&] { return done(lines_); });
}

}  // namespace vigie::wintest
