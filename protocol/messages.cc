#include "vigie/protocol/messages.h"

#include "message_fields.h"
#include "vigie/protocol/event.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utf8.h"

namespace vigie::protocol {

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
