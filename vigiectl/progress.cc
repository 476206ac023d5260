#include "progress.h"

#include <unistd.h>

namespace vigie::ctl {

void Progress::update(const std::string& text) {
  if (!enabled_) return;
  const std::string line = "\xE2\x80\xA6 " + text;  // "… "
  err_ << '\r' << line;
  if (line.size() < shown_) err_ << std::string(shown_ - line.size(), ' ');
  err_ << std::flush;
  shown_ = line.size();
}

void Progress::finish() {
  if (shown_ == 0) return;
  err_ << '\n' << std::flush;
  shown_ = 0;
}

bool progressWanted(bool asked) { return asked || ::isatty(STDERR_FILENO) != 0; }

}  // namespace vigie::ctl
