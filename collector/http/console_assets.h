#pragma once

#include <span>
#include <string_view>

namespace vigie::collector::http {

// The web console's files, compiled into the collector (collector/console/).
struct ConsoleAsset {
  std::string_view name;  // "index.html", "app.js", "style.css"
  std::string_view content_type;
  std::string_view bytes;
};
std::span<const ConsoleAsset> consoleAssets();

}  // namespace vigie::collector::http
