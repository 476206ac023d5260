#include "document_class.h"

namespace vigie::platform {

std::string documentClass(const std::string& job_name, const std::string& format) {
  const size_t dot = job_name.rfind('.');
  if (dot != std::string::npos && dot + 1 < job_name.size() && job_name.size() - dot - 1 <= 5) {
    std::string extension;
    for (const char c : job_name.substr(dot + 1)) {
      if (c >= 'A' && c <= 'Z') {
        extension += static_cast<char>(c - 'A' + 'a');
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        extension += c;
      } else {
        extension.clear();
        break;
      }
    }
    if (!extension.empty()) return extension;
  }
  if (format == "application/pdf") return "pdf";
  if (format == "application/postscript") return "postscript";
  if (format.starts_with("text/")) return "text";
  if (format.starts_with("image/")) return "image";
  return "other";
}

}  // namespace vigie::platform
