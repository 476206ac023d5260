#include "vigie/protocol/status.h"

namespace vigie {
namespace {

std::string_view codeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "ok";
    case Status::Code::kInvalidArgument:
      return "invalid argument";
    case Status::Code::kNotFound:
      return "not found";
    case Status::Code::kIoError:
      return "I/O error";
    case Status::Code::kCorruption:
      return "corruption";
    case Status::Code::kPermissionDenied:
      return "permission denied";
    case Status::Code::kResourceExhausted:
      return "resource exhausted";
    case Status::Code::kFailedPrecondition:
      return "failed precondition";
  }
  return "unknown";
}

}  // namespace

std::string Status::toString() const {
  if (isOk()) return "ok";
  std::string out(codeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::withContext(std::string_view context) const {
  if (isOk()) return *this;
  std::string message(context);
  message += ": ";
  message += message_;
  return Status(code_, std::move(message));
}

}  // namespace vigie
