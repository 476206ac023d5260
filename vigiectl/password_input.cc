#include "password_input.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "vigie/platform/atomic_file.h"
#include "vigie/platform/posix_error.h"

namespace vigie::ctl {
namespace {

constexpr size_t kMaxPassword = 4096;

std::string firstLine(std::string text) {
  const size_t end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// Turns terminal echo off for its lifetime.
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

StatusOr<std::string> readStdinLine() {
  std::string line;
  char c = 0;
  while (true) {
    const ssize_t got = ::read(STDIN_FILENO, &c, 1);
    if (got < 0) {
      if (errno == EINTR) continue;
      return platform::posixError("cannot read the password", errno);
    }
    if (got == 0 || c == '\n') break;
    line += c;
    if (line.size() > kMaxPassword) return Status::invalidArgument("the password is too long");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

StatusOr<std::string> prompted(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  EchoOff quiet;
  return readStdinLine();
}

}  // namespace

StatusOr<std::string> readPassword(const std::string& file, const std::string& prompt,
                                   bool confirm) {
  StatusOr<std::string> password = std::string();
  if (!file.empty()) {
    auto text = platform::readSmallFile(file, kMaxPassword);
    if (!text.isOk()) return text.status();
    password = firstLine(std::move(*text));
  } else if (::isatty(STDIN_FILENO) == 0) {
    password = readStdinLine();
  } else {
    password = prompted(prompt);
    if (password.isOk() && confirm) {
      auto again = prompted("Again: ");
      if (!again.isOk()) return again.status();
      if (*again != *password) return Status::invalidArgument("the passwords differ");
    }
  }
  if (!password.isOk()) return password.status();
  if (password->empty()) return Status::invalidArgument("no password given");
  return password;
}

}  // namespace vigie::ctl
