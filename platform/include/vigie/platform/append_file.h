#pragma once

// A file that only grows and that other programs pick up and rotate (the JSON-lines alert sink):
// log rotation moves it away (or deletes it) and the next append goes to a new file at the same
// path, as it does for syslog daemons.

#include <memory>
#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::platform {

class AppendFile {
 public:
  virtual ~AppendFile() = default;

  // Appends all of `data`. First reopens the path when it no longer names the open file (moved
  // away or deleted), creating it with mode 0600; an existing file keeps its mode (an operator
  // may have let a log shipper's group read it). On failure, cuts the file back to where it was,
  // so that a retried append does not follow a torn line. ENOSPC gives resource exhausted.
  virtual Status append(std::string_view data) = 0;
  // Makes what was appended durable (fsync).
  virtual Status sync() = 0;
};
using AppendFilePtr = std::unique_ptr<AppendFile>;

// Opens (creating with mode 0600) `path` for appending. Its parent directory must exist.
StatusOr<AppendFilePtr> openAppendFile(const std::string& path);

}  // namespace vigie::platform
