#include "detect/detection_config.h"

#include <fstream>
#include <sstream>

namespace vigie::collector {

namespace json = protocol::json;

StatusOr<DetectionConfig> loadDetectionConfig(const std::string& path) {
  DetectionConfig config;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (errno == ENOENT) return config;
    return Status::ioError("cannot read " + path);
  }
  std::ostringstream text;
  text << file.rdbuf();
  auto parsed = json::parse(text.str());
  if (!parsed.isOk()) return parsed.status().withContext(path);
  if (parsed->kind != json::Value::Kind::kObject) {
    return Status::invalidArgument(path + ": expected an object with rules and outputs");
  }
  for (json::Member& member : parsed->object) {
    if (member.first == "rules") {
      auto rules = parseDetectionPolicy(member.second);
      if (!rules.isOk()) return rules.status().withContext(path);
      config.rules = *rules;
    } else if (member.first == "tick_seconds") {
      const json::Value& value = member.second;
      if (value.kind != json::Value::Kind::kInteger || value.negative || value.magnitude < 1 ||
          value.magnitude > 600) {
        return Status::invalidArgument(path + ": tick_seconds: expected a whole number in 1..600");
      }
      config.tick_seconds = static_cast<int64_t>(value.magnitude);
    } else if (member.first == "outputs") {
      auto outputs = parseOutputsConfig(member.second);
      if (!outputs.isOk()) return outputs.status().withContext(path);
      config.outputs = std::move(outputs).value();
    } else {
      return Status::invalidArgument(path + ": " + member.first +
                                     ": unknown member (rules, outputs, tick_seconds)");
    }
  }
  return config;
}

}  // namespace vigie::collector
