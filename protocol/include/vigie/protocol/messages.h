#pragma once

// The collector API's JSON documents other than events (docs/collector-protocol.md): enrollment
// request and answer, and the receipt for an uploaded batch. Decoding is strict, like events.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::protocol {

constexpr size_t kMaxSecretBytes = 256;
constexpr size_t kMaxPemBytes = 8192;
constexpr size_t kMaxEnrollmentJsonBytes = 32768;

// POST /v1/enroll
struct EnrollmentRequest {
  std::string secret;     // the site's enrollment secret
  std::string device_id;  // [A-Za-z0-9._-], 1-64: the id the agent stamps on its events
  std::string hostname;
  std::string os;
  std::string csr_pem;                  // PKCS#10 request for the client certificate
  std::array<uint8_t, 32> chain_key{};  // the device's HMAC chain key, so the collector can verify
  bool reenroll = false;  // replaces the certificate of an enrolled device with the same key
  bool operator==(const EnrollmentRequest&) const = default;
};

struct EnrollmentResponse {
  std::string device_id;
  std::string certificate_pem;     // client certificate, CN = device id
  std::string ca_certificate_pem;  // the collector CA: the only trust anchor from now on
  std::string ca_fingerprint;      // SHA-256 of the CA certificate, hex
  bool operator==(const EnrollmentResponse&) const = default;
};

// The answer to POST /v1/batches with status 200.
struct BatchReceipt {
  uint64_t stored = 0;
  uint64_t duplicates = 0;
  uint64_t acked_through = 0;  // highest sequence number of the batch
  uint64_t incidents = 0;      // integrity incidents the batch raised
  bool operator==(const BatchReceipt&) const = default;
};

// Error answers (4xx, 5xx) carry {"error": "<reason>"}.
std::string errorJson(std::string_view reason);

bool isValidDeviceId(std::string_view id);

std::string toJson(const EnrollmentRequest& request);
StatusOr<EnrollmentRequest> enrollmentRequestFromJson(std::string_view text);
std::string toJson(const EnrollmentResponse& response);
StatusOr<EnrollmentResponse> enrollmentResponseFromJson(std::string_view text);
std::string toJson(const BatchReceipt& receipt);
StatusOr<BatchReceipt> batchReceiptFromJson(std::string_view text);

}  // namespace vigie::protocol
