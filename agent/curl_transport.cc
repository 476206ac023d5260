#include <curl/curl.h>

#include <atomic>
#include <mutex>

#include "vigie/agent/http_transport.h"
#include "vigie/protocol/retry_after.h"

namespace vigie::agent {
namespace {

constexpr size_t kMaxResponseBody = 64 * 1024;

struct EasyCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyCleanup>;
using HeaderList = std::unique_ptr<curl_slist, ListFree>;

size_t collectBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  const size_t room = kMaxResponseBody - std::min(body->size(), kMaxResponseBody);
  body->append(data, std::min(bytes, room));
  return bytes;
}

std::optional<int64_t> retryAfterMs(CURL* handle) {
  curl_header* header = nullptr;
  if (curl_easy_header(handle, "Retry-After", 0, CURLH_HEADER, -1, &header) != CURLHE_OK) {
    return std::nullopt;
  }
  // Seconds only; an HTTP date is ignored and the uploader's own backoff applies.
  const auto seconds = protocol::parseRetryAfterSeconds(header->value);
  if (!seconds) return std::nullopt;
  return *seconds * 1000;
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(TlsSettings settings) : settings_(std::move(settings)) {}

  StatusOr<HttpResponse> post(std::string_view path, std::string_view body,
                              std::string_view content_type, bool gzip_encoded) override {
    if (!handle_) {
      handle_.reset(curl_easy_init());
      if (!handle_) return Status::resourceExhausted("curl_easy_init failed");
      configure();
    }
    if (cancelled_) return Status::failedPrecondition("uploads stopped");
    CURL* h = handle_.get();
    const std::string url = settings_.base_url + std::string(path);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    HeaderList headers;
    const std::string type = "Content-Type: " + std::string(content_type);
    headers.reset(curl_slist_append(headers.release(), type.c_str()));
    if (gzip_encoded) headers.reset(curl_slist_append(headers.release(), "Content-Encoding: gzip"));
    // No "Expect: 100-continue" round trip before each batch.
    headers.reset(curl_slist_append(headers.release(), "Expect:"));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

    HttpResponse response;
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    error_[0] = '\0';
    const CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    if (rc != CURLE_OK) {
      std::string why = error_[0] != '\0' ? error_ : curl_easy_strerror(rc);
      if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
        return Status::permissionDenied("collector " + settings_.base_url + " not trusted: " + why);
      }
      return Status::ioError("no answer from " + settings_.base_url + ": " + why);
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    response.retry_after_ms = retryAfterMs(h);
    return response;
  }

  void reconnect() override { handle_.reset(); }
  void cancel() override { cancelled_ = true; }

 private:
  void configure() {
    CURL* h = handle_.get();
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    // Trust the pinned collector CA and nothing else: no system bundle, no CA directory.
    curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
    if (!settings_.certificate_file.empty()) {
      curl_easy_setopt(h, CURLOPT_SSLCERT, settings_.certificate_file.c_str());
      curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
      curl_easy_setopt(h, CURLOPT_SSLKEY, settings_.key_file.c_str());
      curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, settings_.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, settings_.request_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, abortWhenCancelled);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &cancelled_);
  }

  static int abortWhenCancelled(void* cancelled, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<std::atomic<bool>*>(cancelled)->load() ? 1 : 0;
  }

  TlsSettings settings_;
  Easy handle_;  // one handle, one kept-alive connection
  char error_[CURL_ERROR_SIZE] = {};
  std::atomic<bool> cancelled_{false};
};

}  // namespace

StatusOr<HttpTransportPtr> newCurlTransport(const TlsSettings& settings) {
  if (settings.base_url.rfind("https://", 0) != 0) {
    return Status::invalidArgument("collector URL must start with https://, got '" +
                                   settings.base_url + "'");
  }
  static std::once_flag initialised;
  std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return HttpTransportPtr(std::make_unique<CurlTransport>(settings));
}

}  // namespace vigie::agent
