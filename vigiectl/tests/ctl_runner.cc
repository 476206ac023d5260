#include "ctl_runner.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace vigie::ctl::testing {
namespace {

// Anonymous in-memory files: a child can fill them without the pipe buffer ever blocking it.
int memoryFile(const char* name) {
  const int fd = ::memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error("memfd_create failed");
  return fd;
}

std::string readBack(int fd) {
  std::string text;
  ::lseek(fd, 0, SEEK_SET);
  char buffer[4096];
  ssize_t got;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<size_t>(got));
  ::close(fd);
  return text;
}

}  // namespace

RunResult runCommand(const std::vector<std::string>& argv, const std::string& input,
                     const std::vector<std::string>& environment, unsigned timeout_seconds) {
  const int in = memoryFile("stdin");
  const int out = memoryFile("stdout");
  const int err = memoryFile("stderr");
  if (::write(in, input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
    throw std::runtime_error("cannot write the child's input");
  }
  ::lseek(in, 0, SEEK_SET);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    for (const auto& entry : environment) ::putenv(const_cast<char*>(entry.c_str()));
    // The alarm survives exec: a hung child dies of SIGALRM instead of hanging the test.
    ::alarm(timeout_seconds);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = readBack(out);
  result.err = readBack(err);
  return result;
}

}  // namespace vigie::ctl::testing
