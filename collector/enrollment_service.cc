#include "vigie/collector/enrollment_service.h"

#include <openssl/crypto.h>

namespace vigie::collector {

EnrollmentService::EnrollmentService(EventStore& store, crypto::CertificateAuthority authority,
                                     std::string secret, platform::Clock& clock,
                                     EnrollmentPolicy policy)
    : store_(store),
      authority_(std::move(authority)),
      secret_(std::move(secret)),
      clock_(clock),
      policy_(policy) {
  auto fingerprint = crypto::certificateFingerprint(authority_.certificatePem());
  if (fingerprint.isOk()) ca_fingerprint_ = *fingerprint;
}

bool EnrollmentService::rateLimited(std::string_view peer_address, int64_t now_ms) {
  auto found = failures_.find(peer_address);
  if (found == failures_.end()) return false;
  if (now_ms - found->second.window_start_ms >= policy_.failure_window_ms) {
    failures_.erase(found);
    return false;
  }
  return found->second.count >= policy_.max_failures;
}

void EnrollmentService::recordFailure(std::string_view peer_address, int64_t now_ms) {
  // Bounded memory under a flood from many addresses: forget the oldest windows.
  if (failures_.size() >= 10'000) failures_.clear();
  auto [entry, inserted] = failures_.try_emplace(std::string(peer_address));
  if (inserted) entry->second.window_start_ms = now_ms;
  ++entry->second.count;
}

StatusOr<protocol::EnrollmentResponse> EnrollmentService::enroll(
    const protocol::EnrollmentRequest& request, std::string_view peer_address) {
  std::lock_guard lock(mutex_);
  const int64_t now_ms = clock_.nowUnixMillis();
  if (rateLimited(peer_address, now_ms)) {
    return Status::resourceExhausted("too many failed enrollments from this address; retry later");
  }
  const bool secret_matches =
      request.secret.size() == secret_.size() &&
      CRYPTO_memcmp(request.secret.data(), secret_.data(), secret_.size()) == 0;
  if (!secret_matches) {
    recordFailure(peer_address, now_ms);
    return Status::permissionDenied("wrong enrollment secret");
  }

  auto existing = store_.findDevice(request.device_id);
  if (!existing.isOk()) return existing.status();
  const crypto::SecretKey chain_key(request.chain_key);
  if (existing->has_value()) {
    const DeviceRecord& known = **existing;
    if (!request.reenroll) {
      return Status::failedPrecondition("device " + request.device_id +
                                        " is already enrolled; re-enroll it explicitly");
    }
    if (known.revoked) {
      return Status::failedPrecondition("device " + request.device_id + " is revoked");
    }
    if (!(known.chain_key == chain_key)) {
      return Status::failedPrecondition(
          "device " + request.device_id +
          " is enrolled with another chain key; revoke it and enroll it under a new id");
    }
  }

  auto certificate = authority_.issueClientCertificate(request.csr_pem, request.device_id,
                                                       policy_.certificate_days);
  if (!certificate.isOk()) return certificate.status();
  auto fingerprint = crypto::certificateFingerprint(*certificate);
  if (!fingerprint.isOk()) return fingerprint.status();

  DeviceRecord device;
  device.device_id = request.device_id;
  device.hostname = request.hostname;
  device.os = request.os;
  device.chain_key = chain_key;
  device.certificate_fingerprint = *fingerprint;
  device.enrolled_ms = now_ms;
  VIGIE_RETURN_IF_ERROR(store_.putDevice(device));

  return protocol::EnrollmentResponse{request.device_id, std::move(certificate).value(),
                                      authority_.certificatePem(), ca_fingerprint_};
}

}  // namespace vigie::collector
