#include "command_line.h"

#include <algorithm>
#include <charconv>

namespace vigie::agent::cli {

StatusOr<Options> Options::parse(const std::vector<std::string>& args,
                                 const std::vector<std::string>& with_value,
                                 const std::vector<std::string>& flags) {
  Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) return Status::invalidArgument("unexpected argument " + arg);
    const std::string name = arg.substr(2);
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      options.values_[name] = "";
    } else if (std::find(with_value.begin(), with_value.end(), name) != with_value.end()) {
      if (i + 1 >= args.size()) return Status::invalidArgument(arg + " needs a value");
      options.values_[name] = args[++i];
    } else {
      return Status::invalidArgument("unknown option " + arg);
    }
  }
  return options;
}

std::string Options::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

bool Options::flag(const std::string& name) const { return values_.count(name) > 0; }

StatusOr<uint64_t> Options::number(const std::string& name, uint64_t fallback, uint64_t min,
                                   uint64_t max) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const std::string& text = it->second;
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) {
    return Status::invalidArgument("--" + name + " must be a whole number from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", got \"" +
                                   text + "\"");
  }
  return value;
}

}  // namespace vigie::agent::cli
