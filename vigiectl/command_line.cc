#include "command_line.h"

#include <algorithm>
#include <charconv>

namespace vigie::ctl {

StatusOr<ParsedArgs> ParsedArgs::parse(const std::vector<std::string>& args,
                                       const std::vector<OptionSpec>& specs) {
  ParsedArgs parsed;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg.size() < 3 || arg.rfind("--", 0) != 0) {
      if (arg == "--" && !options_ended) {
        options_ended = true;
        continue;
      }
      if (!options_ended && arg.size() > 1 && arg[0] == '-') {
        return Status::invalidArgument("unknown option " + arg);
      }
      parsed.positionals_.push_back(arg);
      continue;
    }
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? equals : equals - 2);
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) return Status::invalidArgument("unknown option --" + name);
    std::string value;
    if (spec->takes_value) {
      if (equals != std::string::npos) {
        value = arg.substr(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return Status::invalidArgument("--" + name + " needs a value");
      }
    } else if (equals != std::string::npos) {
      return Status::invalidArgument("--" + name + " takes no value");
    }
    auto& values = parsed.values_[name];
    if (!values.empty() && !spec->repeatable) {
      return Status::invalidArgument("--" + name + " given twice");
    }
    values.push_back(std::move(value));
  }
  return parsed;
}

std::string ParsedArgs::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::all(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

StatusOr<uint64_t> ParsedArgs::number(const std::string& name, uint64_t fallback, uint64_t min,
                                      uint64_t max) const {
  if (!has(name)) return fallback;
  const std::string value = text(name);
  uint64_t number = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || number < min ||
      number > max) {
    return Status::invalidArgument("--" + name + " must be a whole number from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                                   value + "'");
  }
  return number;
}

}  // namespace vigie::ctl
