#include "vigie/protocol/messages.h"

#include <charconv>
#include <set>

#include "vigie/protocol/event.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utf8.h"

namespace vigie::protocol {
namespace {

// Reads the members of one object, refusing missing, mistyped, oversized and unknown fields.
class FieldReader {
 public:
  explicit FieldReader(const json::Value& object) : object_(object) {}

  void text(std::string_view name, std::string& out, size_t max_bytes) {
    const json::Value* value = take(name, json::Value::Kind::kString);
    if (value == nullptr) return;
    if (value->string.size() > max_bytes) {
      fail("field " + std::string(name) + ": longer than " + std::to_string(max_bytes) + " bytes");
      return;
    }
    out = value->string;
  }
  void boolean(std::string_view name, bool& out) {
    if (const json::Value* value = take(name, json::Value::Kind::kBool)) out = value->boolean;
  }
  void number(std::string_view name, uint64_t& out) {
    const json::Value* value = take(name, json::Value::Kind::kInteger);
    if (value == nullptr) return;
    if (value->negative) {
      fail("field " + std::string(name) + ": must not be negative");
      return;
    }
    out = value->magnitude;
  }
  void hex(std::string_view name, std::span<uint8_t> out) {
    std::string digits;
    text(name, digits, out.size() * 2);
    if (status_.isOk()) fail(parseHex(name, digits, out));
  }

  Status finish() {
    if (!status_.isOk()) return status_;
    for (const auto& [key, value] : object_.object) {
      if (!seen_.contains(key)) return Status::invalidArgument("unknown field " + key);
    }
    return Status::ok();
  }

 private:
  const json::Value* take(std::string_view name, json::Value::Kind kind) {
    if (!status_.isOk()) return nullptr;
    seen_.emplace(name);
    const json::Value* value = object_.find(name);
    if (value == nullptr) {
      fail("missing field " + std::string(name));
      return nullptr;
    }
    if (value->kind != kind) {
      fail("field " + std::string(name) + ": expected " + std::string(json::kindName(kind)) +
           ", got " + std::string(json::kindName(value->kind)));
      return nullptr;
    }
    return value;
  }
  void fail(std::string message) { fail(Status::invalidArgument(std::move(message))); }
  void fail(Status status) {
    if (status_.isOk()) status_ = std::move(status);
  }

  const json::Value& object_;
  std::set<std::string, std::less<>> seen_;
  Status status_;
};

StatusOr<json::Value> parseObject(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Status::invalidArgument("document longer than " + std::to_string(max_bytes) + " bytes");
  }
  auto value = json::parse(text, 4);
  if (!value.isOk()) return value.status();
  if (value->kind != json::Value::Kind::kObject) {
    return Status::invalidArgument("expected a JSON object");
  }
  return value;
}

void appendField(std::string& out, std::string_view name, std::string_view text) {
  if (out.size() > 1) out += ',';
  json::appendString(out, name);
  out += ':';
  json::appendString(out, text);
}

void appendField(std::string& out, std::string_view name, uint64_t number) {
  if (out.size() > 1) out += ',';
  json::appendString(out, name);
  out += ':';
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, result.ptr);
}

void appendField(std::string& out, std::string_view name, bool flag) {
  if (out.size() > 1) out += ',';
  json::appendString(out, name);
  out += flag ? ":true" : ":false";
}

}  // namespace

std::string errorJson(std::string_view reason) {
  std::string out = "{";
  appendField(out, "error", isValidUtf8(reason) ? reason : std::string_view("(invalid UTF-8)"));
  out += '}';
  return out;
}

bool isValidDeviceId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string toJson(const EnrollmentRequest& request) {
  std::string out = "{";
  appendField(out, "secret", request.secret);
  appendField(out, "device_id", request.device_id);
  appendField(out, "hostname", request.hostname);
  appendField(out, "os", request.os);
  appendField(out, "csr", request.csr_pem);
  appendField(out, "chain_key", toHex(request.chain_key));
  appendField(out, "reenroll", request.reenroll);
  out += '}';
  return out;
}

StatusOr<EnrollmentRequest> enrollmentRequestFromJson(std::string_view text) {
  auto object = parseObject(text, kMaxEnrollmentJsonBytes);
  if (!object.isOk()) return object.status();
  EnrollmentRequest request;
  FieldReader reader(*object);
  reader.text("secret", request.secret, kMaxSecretBytes);
  reader.text("device_id", request.device_id, 64);
  reader.text("hostname", request.hostname, kMaxShortText);
  reader.text("os", request.os, kMaxShortText);
  reader.text("csr", request.csr_pem, kMaxPemBytes);
  reader.hex("chain_key", request.chain_key);
  reader.boolean("reenroll", request.reenroll);
  VIGIE_RETURN_IF_ERROR(reader.finish());
  if (!isValidDeviceId(request.device_id)) {
    return Status::invalidArgument("field device_id: use 1-64 characters among A-Z a-z 0-9 . _ -");
  }
  return request;
}

std::string toJson(const EnrollmentResponse& response) {
  std::string out = "{";
  appendField(out, "device_id", response.device_id);
  appendField(out, "certificate", response.certificate_pem);
  appendField(out, "ca_certificate", response.ca_certificate_pem);
  appendField(out, "ca_fingerprint", response.ca_fingerprint);
  out += '}';
  return out;
}

StatusOr<EnrollmentResponse> enrollmentResponseFromJson(std::string_view text) {
  auto object = parseObject(text, kMaxEnrollmentJsonBytes);
  if (!object.isOk()) return object.status();
  EnrollmentResponse response;
  FieldReader reader(*object);
  reader.text("device_id", response.device_id, 64);
  reader.text("certificate", response.certificate_pem, kMaxPemBytes);
  reader.text("ca_certificate", response.ca_certificate_pem, kMaxPemBytes);
  reader.text("ca_fingerprint", response.ca_fingerprint, 64);
  VIGIE_RETURN_IF_ERROR(reader.finish());
  return response;
}

std::string toJson(const BatchReceipt& receipt) {
  std::string out = "{";
  appendField(out, "stored", receipt.stored);
  appendField(out, "duplicates", receipt.duplicates);
  appendField(out, "acked_through", receipt.acked_through);
  appendField(out, "incidents", receipt.incidents);
  out += '}';
  return out;
}

StatusOr<BatchReceipt> batchReceiptFromJson(std::string_view text) {
  auto object = parseObject(text, 4096);
  if (!object.isOk()) return object.status();
  BatchReceipt receipt;
  FieldReader reader(*object);
  reader.number("stored", receipt.stored);
  reader.number("duplicates", receipt.duplicates);
  reader.number("acked_through", receipt.acked_through);
  reader.number("incidents", receipt.incidents);
  VIGIE_RETURN_IF_ERROR(reader.finish());
  return receipt;
}

}  // namespace vigie::protocol
