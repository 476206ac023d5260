#pragma once

// Enrollment: a workstation proves it was installed by the site (the enrollment secret), gives
// its chain key and a certificate request, and gets a client certificate signed by the collector
// CA. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "vigie/collector/event_store.h"
#include "vigie/crypto/x509.h"
#include "vigie/platform/clock.h"
#include "vigie/protocol/messages.h"

namespace vigie::collector {

struct EnrollmentPolicy {
  int certificate_days = 365;
  int max_failures = 5;                // wrong secrets per address within the window...
  int64_t failure_window_ms = 60'000;  // ...before that address is refused for the window
};

class EnrollmentService {
 public:
  EnrollmentService(EventStore& store, crypto::CertificateAuthority authority, std::string secret,
                    platform::Clock& clock, EnrollmentPolicy policy = {});

  // Errors map to HTTP answers: kPermissionDenied (wrong secret, 401), kResourceExhausted (too
  // many failures from `peer_address`, 429), kFailedPrecondition (device already enrolled and
  // the request does not say reenroll, or its chain key differs, or it is revoked: 409),
  // kInvalidArgument (bad request, 400).
  StatusOr<protocol::EnrollmentResponse> enroll(const protocol::EnrollmentRequest& request,
                                                std::string_view peer_address);

  const std::string& caFingerprint() const { return ca_fingerprint_; }

 private:
  bool rateLimited(std::string_view peer_address, int64_t now_ms);
  void recordFailure(std::string_view peer_address, int64_t now_ms);

  struct Failures {
    int count = 0;
    int64_t window_start_ms = 0;
  };

  EventStore& store_;
  const crypto::CertificateAuthority authority_;
  const std::string secret_;
  std::string ca_fingerprint_;
  platform::Clock& clock_;
  const EnrollmentPolicy policy_;
  std::mutex mutex_;  // guards failures_ and serialises enrollments
  std::map<std::string, Failures, std::less<>> failures_;
};

}  // namespace vigie::collector
