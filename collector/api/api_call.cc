#include "api/api_call.h"

#include <iostream>

#include "vigie/protocol/json.h"

namespace vigie::collector::api {

ApiReply json(int status, std::string body) {
  ApiReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

ApiReply error(int status, std::string_view message) {
  std::string body = "{\"error\":";
  protocol::json::appendString(body, message);
  body += "}";
  return json(status, std::move(body));
}

ApiReply noContent() {
  ApiReply reply;
  reply.status = 204;
  return reply;
}

ApiReply fromStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return noContent();
    case Status::Code::kInvalidArgument:
      return error(400, status.message());
    case Status::Code::kPermissionDenied:
      return error(403, status.message());
    case Status::Code::kNotFound:
      return error(404, status.message());
    case Status::Code::kFailedPrecondition:
      return error(409, status.message());
    case Status::Code::kResourceExhausted:
      return error(413, status.message());
    default:
      std::cerr << "vigie-collector: audit API: " << status.toString() << std::endl;
      return error(500, "the collector could not answer; its log says why");
  }
}

}  // namespace vigie::collector::api
