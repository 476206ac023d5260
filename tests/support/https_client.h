#pragma once

// A plain HTTPS client for end-to-end tests of the collector's audit API: libcurl, the collector
// CA pinned, peer and host name verified.

#include <cstdint>
#include <string>
#include <vector>

namespace vigie::testing {

struct HttpAnswer {
  long status = 0;  // 0: no answer (connection failed)
  std::string body;
  std::vector<std::string> headers;  // "Name: value" lines
  bool hasHeader(const std::string& prefix) const;
};

class HttpsClient {
 public:
  HttpsClient(std::string base_url, std::string ca_file)
      : base_url_(std::move(base_url)), ca_file_(std::move(ca_file)) {}

  // `target` is the path and query ("/v1/audit/record?id=R"); `token` empty: no Authorization.
  HttpAnswer call(const std::string& method, const std::string& target,
                  const std::string& token = "", const std::string& body = "",
                  const std::string& content_type = "application/json") const;

  // Logs in; returns the token, or "" when the login is refused.
  std::string login(const std::string& user, const std::string& password) const;

 private:
  std::string base_url_;
  std::string ca_file_;
};

// A single JSON string value from a flat answer: jsonText(R"({"a":"b"})", "a") == "b".
std::string jsonText(const std::string& json, const std::string& key);

// A time `offset_ms` from now, as the API writes times (YYYY-MM-DDTHH:MM:SS.mmmZ).
std::string timeFromNow(int64_t offset_ms);

}  // namespace vigie::testing
