#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vigie {

// Errors are values. Likely failures (bad input, I/O, full disk) come back as a Status naming the
// problem; broken invariants abort. No exception crosses a Vigie API.
class Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,  // input rejected at a boundary
    kNotFound,
    kIoError,
    kCorruption,         // stored data unreadable or inconsistent
    kPermissionDenied,   // e.g. a key file with unsafe ownership or mode
    kResourceExhausted,  // e.g. disk full
    kFailedPrecondition,
  };

  Status() = default;
  static Status ok() { return Status(); }
  static Status invalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status notFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status ioError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status permissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }
  static Status resourceExhausted(std::string msg) {
    return {Code::kResourceExhausted, std::move(msg)};
  }
  static Status failedPrecondition(std::string msg) {
    return {Code::kFailedPrecondition, std::move(msg)};
  }

  bool isOk() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: <message>", for logs and command-line errors.
  std::string toString() const;

  // Prefixes the message with where the error happened ("queue: " + message).
  Status withContext(std::string_view context) const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  StatusOr(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(state_).isOk() && "StatusOr needs a value or an error");
  }

  bool isOk() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOkStatus;
    return isOk() ? kOkStatus : std::get<Status>(state_);
  }
  // REQUIRES: isOk().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<Status, T> state_;
};

// Returns the Status of `expr` from the enclosing function if it is not ok. Nestable (a lambda
// inside the expression may use it too): each expansion names its variable uniquely.
#define VIGIE_RETURN_IF_ERROR(expr) VIGIE_RETURN_IF_ERROR_IMPL(expr, __COUNTER__)
#define VIGIE_RETURN_IF_ERROR_IMPL(expr, n) \
  VIGIE_RETURN_IF_ERROR_NAMED(expr, VIGIE_CONCAT(vigie_status_, n))
#define VIGIE_CONCAT(a, b) VIGIE_CONCAT_INNER(a, b)
#define VIGIE_CONCAT_INNER(a, b) a##b
#define VIGIE_RETURN_IF_ERROR_NAMED(expr, name) \
  do {                                          \
    ::vigie::Status name = (expr);              \
    if (!name.isOk()) return name;              \
  } while (false)

}  // namespace vigie
