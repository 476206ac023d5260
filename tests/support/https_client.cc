#include "https_client.h"

#include <curl/curl.h>
#include <strings.h>

#include <chrono>

#include "vigie/protocol/utc_time.h"

namespace vigie::testing {
namespace {

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t collectHeader(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty()) static_cast<std::vector<std::string>*>(out)->push_back(line);
  return size * count;
}

}  // namespace

bool HttpAnswer::hasHeader(const std::string& prefix) const {
  for (const std::string& header : headers) {
    if (header.size() >= prefix.size() &&
        strncasecmp(header.c_str(), prefix.c_str(), prefix.size()) == 0) {
      return true;
    }
  }
  return false;
}

HttpAnswer HttpsClient::call(const std::string& method, const std::string& target,
                             const std::string& token, const std::string& body,
                             const std::string& content_type) const {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return answer;
  const std::string url = base_url_ + target;
  curl_slist* headers = nullptr;
  if (!token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // tests send "/../" on purpose
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.headers);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return answer;
}

std::string HttpsClient::login(const std::string& user, const std::string& password) const {
  const HttpAnswer answer = call("POST", "/v1/auth/login", "",
                                 R"({"user":")" + user + R"(","password":")" + password + R"("})");
  return answer.status == 200 ? jsonText(answer.body, "token") : "";
}

std::string jsonText(const std::string& json, const std::string& key) {
  const std::string marker = "\"" + key + "\":\"";
  const size_t at = json.find(marker);
  if (at == std::string::npos) return "";
  const size_t start = at + marker.size();
  return json.substr(start, json.find('"', start) - start);
}

std::string timeFromNow(int64_t offset_ms) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return protocol::formatUtcMillis(now.count() + offset_ms);
}

}  // namespace vigie::testing
