#include "api_calls.h"

#include <utility>

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

bool isSuccess(long status) { return status >= 200 && status < 300; }

}  // namespace

std::string serverMessage(const ApiResponse& response) {
  auto document = json::parse(response.body);
  if (document.isOk() && document->kind == json::Value::Kind::kObject) {
    const json::Value* error = document->find("error");
    if (error != nullptr && error->kind == json::Value::Kind::kString && !error->string.empty()) {
      return error->string + " (HTTP " + std::to_string(response.status) + ")";
    }
  }
  return "the collector answered HTTP " + std::to_string(response.status);
}

Status answerError(const ApiResponse& response) {
  const std::string message = serverMessage(response);
  switch (response.status) {
    case 401:
      return Status::permissionDenied(message +
                                      ": log in again with 'vigiectl login' (the session ended or "
                                      "the token is unknown)");
    case 403:
      return Status::permissionDenied(message);
    case 404:
      return Status::notFound(message);
    case 429: {
      std::string wait = ": too many attempts";
      if (response.retry_after_s) {
        wait += ", retry in " + std::to_string(*response.retry_after_s) + " s";
      }
      return Status::resourceExhausted(message + wait);
    }
    default:
      if (response.status >= 400 && response.status < 500) {
        return Status::invalidArgument(message);
      }
      return Status::ioError(message);
  }
}

StatusOr<json::Value> callForObject(ApiClient& client, const ApiRequest& request) {
  auto response = client.send(request);
  if (!response.isOk()) return response.status();
  if (!isSuccess(response->status)) return answerError(*response);
  // Details objects nest a little deeper than protocol documents; the answer is bounded anyway.
  auto document = json::parse(response->body, 64);
  if (!document.isOk()) {
    return Status::corruption("the collector's answer is not JSON: " + document.status().message());
  }
  if (document->kind != json::Value::Kind::kObject) {
    return Status::corruption("the collector's answer is not a JSON object");
  }
  return document;
}

Status callForNothing(ApiClient& client, const ApiRequest& request) {
  auto response = client.send(request);
  if (!response.isOk()) return response.status();
  if (!isSuccess(response->status)) return answerError(*response);
  return Status::ok();
}

StatusOr<Page> parsePage(const json::Value& answer) {
  const json::Value* items = answer.find("items");
  if (items == nullptr || items->kind != json::Value::Kind::kArray) {
    return Status::corruption("the collector's answer has no \"items\" list");
  }
  Page page;
  page.items = items->array;
  const json::Value* next = answer.find("next");
  if (next != nullptr && next->kind == json::Value::Kind::kString) {
    page.next = next->string;
  } else if (next != nullptr && next->kind != json::Value::Kind::kNull) {
    return Status::corruption("the collector's \"next\" is neither a cursor nor null");
  }
  return page;
}

Status forEachPage(ApiClient& client, ApiRequest first, bool follow,
                   const std::function<Status(const Page& page, size_t number)>& on_page,
                   bool* more) {
  ApiRequest request = std::move(first);
  const size_t base_size = request.query.size();
  std::string previous;
  for (size_t number = 1;; ++number) {
    auto answer = callForObject(client, request);
    if (!answer.isOk()) {
      if (number == 1) return answer.status();
      return answer.status().withContext("page " + std::to_string(number));
    }
    auto page = parsePage(*answer);
    if (!page.isOk()) return page.status();
    VIGIE_RETURN_IF_ERROR(on_page(*page, number));
    if (more != nullptr) *more = !page->next.empty();
    if (page->next.empty() || !follow) return Status::ok();
    // A cursor that does not move would loop for ever.
    if (page->next == previous) {
      return Status::corruption("the collector returned the same cursor twice");
    }
    previous = page->next;
    request.query.resize(base_size);
    request.query.emplace_back("after", page->next);
  }
}

}  // namespace vigie::ctl
