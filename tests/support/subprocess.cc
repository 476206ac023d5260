#include "subprocess.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <utility>

namespace vigie::testing {

Subprocess::Subprocess(const std::vector<std::string>& argv, int uid, bool capture_stderr) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setpgid(0, 0);  // its own process group: the destructor ends what it started, too
    ::dup2(fds[1], STDOUT_FILENO);
    if (capture_stderr) ::dup2(fds[1], STDERR_FILENO);
    if (uid >= 0) {
      const auto id = static_cast<uid_t>(uid);
      if (::setgroups(0, nullptr) != 0 || ::setgid(id) != 0 || ::setuid(id) != 0) ::_exit(126);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  stdout_fd_ = fds[0];
}

Subprocess::~Subprocess() {
  if (!reaped_) {
    ::kill(-pid_, SIGKILL);
    wait();
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void Subprocess::signal(int signo) const { ::kill(pid_, signo); }

int Subprocess::wait() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

bool Subprocess::exited() {
  if (reaped_) return true;
  int status = 0;
  reaped_ = ::waitpid(pid_, &status, WNOHANG) == pid_;
  return reaped_;
}

bool Subprocess::waitForOutput() {
  char buffer[4096];
  ssize_t got;
  while ((got = ::read(stdout_fd_, buffer, sizeof buffer)) < 0 && errno == EINTR) {
  }
  if (got <= 0) return false;
  early_output_.append(buffer, static_cast<size_t>(got));
  return true;
}

std::string Subprocess::readLine() {
  size_t newline;
  while ((newline = early_output_.find('\n')) == std::string::npos) {
    if (!waitForOutput()) return std::exchange(early_output_, {});
  }
  std::string line = early_output_.substr(0, newline);
  early_output_.erase(0, newline + 1);
  return line;
}

std::string Subprocess::readAllOutput() {
  std::string out = std::move(early_output_);
  char buffer[4096];
  ssize_t got;
  while ((got = ::read(stdout_fd_, buffer, sizeof buffer)) > 0) {
    out.append(buffer, static_cast<size_t>(got));
  }
  return out;
}

std::pair<int, std::string> runToEnd(const std::vector<std::string>& argv, int uid) {
  Subprocess command(argv, uid, /*capture_stderr=*/true);
  std::string output = command.readAllOutput();
  const int status = command.wait();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace vigie::testing
