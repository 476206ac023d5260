#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "vigie/collector/enrollment_service.h"

namespace vigie::collector::http {

// POST /v1/enroll: EnrollmentRequest JSON -> 200 EnrollmentResponse JSON; 400 bad request, 401
// wrong secret, 409 already enrolled or revoked, 429 too many failures.
class EnrollHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit EnrollHandler(EnrollmentService& enrollment) : enrollment_(enrollment) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  EnrollmentService& enrollment_;
};

}  // namespace vigie::collector::http
