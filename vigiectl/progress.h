#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace vigie::ctl {

// A status line rewritten in place ("\r… 12 300 rows, page 13") on a stream it does not own;
// silent when disabled. finish() ends the line so later messages start on their own.
class Progress {
 public:
  Progress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(const std::string& text);
  void finish();

 private:
  std::ostream& err_;
  bool enabled_;
  size_t shown_ = 0;  // length of the line on screen, to blank what a shorter one leaves
};

// Progress is shown when standard error is a terminal, or when asked (--progress).
bool progressWanted(bool asked);

}  // namespace vigie::ctl
