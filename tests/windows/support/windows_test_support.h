#pragma once

// What the Windows tests (run under wine) share: a private temporary folder, child processes
// whose output is kept, and a stand-in for the agent service's pipe that records what sensors
// send and who the OS says they are.

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vigie/platform/local_socket.h"
#include "win32.h"  // platform/windows/: UTF-8 <-> UTF-16

namespace vigie::wintest {

using platform::win32::narrow;
using platform::win32::widen;

// A fresh folder under %TEMP%, removed with its content when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "\\" + name; }

 private:
  std::string path_;
};

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);

// A program started with `args`, its standard output and error going to `output_file`.
class ChildProcess {
 public:
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::string& output_file);
  ~ChildProcess();  // kills it if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return process_ != nullptr; }
  DWORD pid() const { return pid_; }
  // The exit code, or -1 when it has not ended within `millis`.
  long wait(DWORD millis);
  // Asks its windows to close (what taskkill without /f does).
  void requestClose();

 private:
  HANDLE process_ = nullptr;
  DWORD pid_ = 0;
};

// The agent service's side of the sensor pipe, recording: every line is answered "ok <n>".
class PipeRecorder {
 public:
  struct Line {
    std::string text;
    platform::PeerIdentity peer;
  };
  explicit PipeRecorder(std::string pipe_name);
  ~PipeRecorder();
  const std::string& name() const { return name_; }
  bool listening() const { return listener_ != nullptr; }
  std::vector<Line> lines() const;
  // Waits until `done(lines)` holds or `millis` pass; returns whether it held.
  bool waitFor(const std::function<bool(const std::vector<Line>&)>& done, DWORD millis);

 private:
  void serve(platform::LocalStreamPtr stream);
  const std::string name_;
  platform::LocalListenerPtr listener_;
  std::thread acceptor_;
  std::vector<std::thread> connections_;
  std::vector<platform::LocalStream*> streams_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<Line> lines_;
};

}  // namespace vigie::wintest
