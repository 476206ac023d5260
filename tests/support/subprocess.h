#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace vigie::testing {

// A child process started with fork/exec in a process group of its own, its standard output on
// a pipe. The destructor kills (SIGKILL) the group and reaps the child if the test did not, so
// no test leaves a process behind, not even one the child started (browsers, forking tools).
class Subprocess {
 public:
  // `uid` >= 0: the child drops to that user and group before exec (needs root).
  // `capture_stderr`: standard error joins standard output on the pipe (short-lived commands
  // whose messages the test checks); otherwise it goes to the test's own standard error.
  explicit Subprocess(const std::vector<std::string>& argv, int uid = -1,
                      bool capture_stderr = false);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signo) const;
  // Waits for exit; returns the raw wait status.
  int wait();
  // Whether the child has ended (reaping it then), without waiting.
  bool exited();
  // Blocks until the child wrote something to stdout (kept for readAllOutput()); false at EOF.
  bool waitForOutput();
  // The next line of stdout, without its newline; blocks until it is complete or stdout ends.
  std::string readLine();
  // Reads whatever stdout holds until EOF (call after the child ended or closed it).
  std::string readAllOutput();

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  bool reaped_ = false;
  std::string early_output_;
};

// Runs a program to its end; exit code (-1 when killed) and output with stderr.
std::pair<int, std::string> runToEnd(const std::vector<std::string>& argv, int uid = -1);

}  // namespace vigie::testing
