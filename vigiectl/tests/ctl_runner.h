#pragma once

// Runs a short-lived command for an end-to-end test: given standard input, standard output and
// standard error captured apart, killed if it outlives its time limit.

#include <string>
#include <vector>

namespace vigie::ctl::testing {

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// `environment`: NAME=VALUE entries added to (or replacing in) the test's own environment.
RunResult runCommand(const std::vector<std::string>& argv, const std::string& input,
                     const std::vector<std::string>& environment = {},
                     unsigned timeout_seconds = 120);

}  // namespace vigie::ctl::testing
