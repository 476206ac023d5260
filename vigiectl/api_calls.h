#pragma once

// Calls of the audit API as the commands see them: an answer that is not 2xx becomes an error
// carrying the server's {"error"} message, a 2xx answer becomes a JSON document, and a paged
// question is followed through its `next` cursors.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "api_client.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::ctl {

// "the server's {"error"} text (HTTP 401)", or the status alone when the body says nothing.
std::string serverMessage(const ApiResponse& response);

// The error of a non-2xx answer: the server's {"error"} text, the HTTP status, and for 401 and
// 429 what to do about it.
Status answerError(const ApiResponse& response);

// Sends `request`; a 2xx answer must be a JSON object, which is returned.
StatusOr<protocol::json::Value> callForObject(ApiClient& client, const ApiRequest& request);

// Sends `request`; any 2xx answer is success and its body is ignored (204 routes).
Status callForNothing(ApiClient& client, const ApiRequest& request);

// One page of a paged answer ({"items": [...], "next": CURSOR or null}).
struct Page {
  std::vector<protocol::json::Value> items;
  std::string next;  // empty when there is no further page
};

StatusOr<Page> parsePage(const protocol::json::Value& answer);

// Fetches pages of `first` (which must not carry `after`): only the first when `follow` is
// false, else every page until `next` is null. `on_page` sees each page with its 1-based number
// and may stop the walk by returning an error. `more` (optional) tells whether a `next` was left.
Status forEachPage(ApiClient& client, ApiRequest first, bool follow,
                   const std::function<Status(const Page& page, size_t number)>& on_page,
                   bool* more = nullptr);

}  // namespace vigie::ctl
