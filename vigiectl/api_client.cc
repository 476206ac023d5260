#include "api_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

#include "vigie/platform/atomic_file.h"
#include "vigie/platform/posix_error.h"
#include "vigie/protocol/retry_after.h"

namespace vigie::ctl {
namespace {

struct EasyCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyCleanup>;
using HeaderList = std::unique_ptr<curl_slist, ListFree>;

void initCurlOnce() {
  static std::once_flag initialised;
  std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Where the body of one transfer goes: memory, bounded, or (for a 2xx download) a file.
struct BodySink {
  CURL* handle = nullptr;
  std::string* body = nullptr;
  size_t max_bytes = 0;
  int file = -1;  // the download's partial file, or -1
  bool too_large = false;
  int write_errno = 0;
};

size_t receiveBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(sink->handle, CURLINFO_RESPONSE_CODE, &status);
  if (sink->file >= 0 && status >= 200 && status < 300) {
    size_t done = 0;
    while (done < bytes) {
      const ssize_t written = ::write(sink->file, data + done, bytes - done);
      if (written < 0) {
        if (errno == EINTR) continue;
        sink->write_errno = errno;
        return 0;  // aborts the transfer
      }
      done += static_cast<size_t>(written);
    }
    return bytes;
  }
  if (sink->body->size() + bytes > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // aborts the transfer rather than keep an unbounded answer
  }
  sink->body->append(data, bytes);
  return bytes;
}

std::optional<int64_t> retryAfterSeconds(CURL* handle) {
  curl_header* header = nullptr;
  if (curl_easy_header(handle, "Retry-After", 0, CURLH_HEADER, -1, &header) != CURLHE_OK) {
    return std::nullopt;
  }
  // Seconds only; an HTTP date is ignored.
  return protocol::parseRetryAfterSeconds(header->value);
}

const char* methodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kPut:
      return "PUT";
    case HttpMethod::kDelete:
      return "DELETE";
  }
  return "GET";
}

class CurlApiClient final : public ApiClient {
 public:
  explicit CurlApiClient(ApiSettings settings) : settings_(std::move(settings)) {}

  StatusOr<ApiResponse> send(const ApiRequest& request) override {
    if (!handle_) {
      handle_.reset(curl_easy_init());
      if (!handle_) return Status::resourceExhausted("curl_easy_init failed");
      configure();
    }
    CURL* h = handle_.get();
    const std::string url = buildUrl(settings_.base_url, request.path, request.query);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (request.method != HttpMethod::kGet) {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, methodName(request.method));
    }
    if (!request.body.empty() || request.method == HttpMethod::kPost) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }

    HeaderList headers;
    auto add = [&](const std::string& line) {
      headers.reset(curl_slist_append(headers.release(), line.c_str()));
    };
    add("Accept: application/json");
    // An empty POST would otherwise carry libcurl's form content type.
    add(request.body.empty() ? "Content-Type:" : "Content-Type: " + request.content_type);
    if (!settings_.token.empty()) add("Authorization: Bearer " + settings_.token);
    add("Expect:");  // no 100-continue round trip
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

    // A download may take long but must keep moving; anything else has a total time limit.
    const bool download = !request.download_to.empty();
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, download ? 0L : settings_.request_timeout_ms);

    ApiResponse response;
    BodySink sink{h, &response.body, settings_.max_response_bytes};
    const std::string partial = request.download_to + ".part";
    platform::UniqueFd file;
    if (download) {
      file = platform::UniqueFd(
          ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!file.valid()) return platform::posixError("cannot create " + partial, errno);
      sink.file = file.get();
    }
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    error_[0] = '\0';
    const CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    const bool stored =
        download && rc == CURLE_OK && response.status >= 200 && response.status < 300;
    Status status = finish(rc, sink);
    if (stored && status.isOk()) {
      if (::fsync(file.get()) != 0) status = platform::posixError("cannot sync " + partial, errno);
      file = platform::UniqueFd();
      if (status.isOk()) status = platform::renameDurably(partial, request.download_to);
    }
    if (download && !(stored && status.isOk())) ::unlink(partial.c_str());
    if (!status.isOk()) return status;
    response.retry_after_s = retryAfterSeconds(h);
    return response;
  }

 private:
  Status finish(CURLcode rc, const BodySink& sink) {
    if (rc == CURLE_OK) return Status::ok();
    if (sink.too_large) {
      return Status::resourceExhausted("the collector's answer is larger than " +
                                       std::to_string(settings_.max_response_bytes >> 20) +
                                       " MiB; ask for fewer items (--limit)");
    }
    if (sink.write_errno != 0)
      return platform::posixError("cannot write the download", sink.write_errno);
    const std::string why = error_[0] != '\0' ? error_ : curl_easy_strerror(rc);
    if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
      return Status::permissionDenied("collector " + settings_.base_url + " not trusted with CA " +
                                      settings_.ca_file + ": " + why);
    }
    return Status::ioError("no answer from " + settings_.base_url + ": " + why);
  }

  void configure() {
    CURL* h = handle_.get();
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    // Trust the collector CA and nothing else: no system bundle, no CA directory.
    curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, settings_.connect_timeout_ms);
    // A stalled answer (under 1 byte/s for a minute) ends the request.
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, receiveBody);
  }

  ApiSettings settings_;
  Easy handle_;  // one handle: the connection is kept alive between pages
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::string percentEncode(std::string_view text) {
  initCurlOnce();
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) return {};
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

std::string buildUrl(std::string_view base_url, const std::vector<std::string>& path,
                     const QueryParams& query) {
  std::string url(base_url);
  for (const auto& segment : path) url += "/" + percentEncode(segment);
  char separator = '?';
  for (const auto& [name, value] : query) {
    url += separator;
    url += percentEncode(name) + "=" + percentEncode(value);
    separator = '&';
  }
  return url;
}

StatusOr<std::string> normalizeBaseUrl(std::string_view url) {
  std::string base(url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string scheme = "https://";
  const bool bad_char = std::any_of(base.begin(), base.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '?' || c == '#' || c == '@';
  });
  if (base.rfind(scheme, 0) != 0 || base.size() == scheme.size() || bad_char ||
      base.find('/', scheme.size()) != std::string::npos) {
    return Status::invalidArgument("the collector URL must be https://HOST[:PORT], got '" +
                                   std::string(url) + "'");
  }
  return base;
}

StatusOr<ApiClientPtr> newCurlApiClient(const ApiSettings& settings) {
  auto base = normalizeBaseUrl(settings.base_url);
  if (!base.isOk()) return base.status();
  initCurlOnce();
  ApiSettings normalized = settings;
  normalized.base_url = std::move(base.value());
  return ApiClientPtr(std::make_unique<CurlApiClient>(std::move(normalized)));
}

}  // namespace vigie::ctl
