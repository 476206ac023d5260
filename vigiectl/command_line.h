#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::ctl {

// One option a command accepts, without its dashes.
struct OptionSpec {
  std::string name;
  bool takes_value = false;
  bool repeatable = false;  // e.g. --crm-account, given once per value
};

// The arguments of one command: positionals in order, options by name. "--name value",
// "--name=value" and "--flag" are understood; "--" ends the options. Unknown options, missing
// values and repeated non-repeatable options are errors that name the option.
class ParsedArgs {
 public:
  static StatusOr<ParsedArgs> parse(const std::vector<std::string>& args,
                                    const std::vector<OptionSpec>& specs);

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // The (last) value of an option, or `fallback`.
  std::string text(const std::string& name, const std::string& fallback = "") const;
  // Every value of a repeatable option, in order.
  std::vector<std::string> all(const std::string& name) const;
  // A whole number in [min, max], or `fallback` when absent.
  StatusOr<uint64_t> number(const std::string& name, uint64_t fallback, uint64_t min,
                            uint64_t max) const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace vigie::ctl
