#pragma once

#include <string>

namespace vigie::testing {

// A fresh directory under `base` (default: $TMPDIR, else /tmp), removed with its content when
// destroyed.
class TempDir {
 public:
  explicit TempDir(const std::string& base = "");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace vigie::testing
