#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::agent::cli {

// Parsed "--name value" and "--flag" options of one subcommand. Unknown options, missing values
// and malformed numbers are errors that name the option.
class Options {
 public:
  // `with_value` and `flags` list the options the subcommand accepts, without the dashes.
  static StatusOr<Options> parse(const std::vector<std::string>& args,
                                 const std::vector<std::string>& with_value,
                                 const std::vector<std::string>& flags);

  std::string text(const std::string& name, const std::string& fallback) const;
  bool flag(const std::string& name) const;
  // A whole number in [min, max], or `fallback` when absent.
  StatusOr<uint64_t> number(const std::string& name, uint64_t fallback, uint64_t min,
                            uint64_t max) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace vigie::agent::cli
