#include "vigie/agent/enrollment_client.h"

#include <algorithm>
#include <filesystem>

#include "vigie/crypto/x509.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/platform/host_name.h"
#include "vigie/protocol/messages.h"

namespace vigie::agent {
namespace {

constexpr size_t kMaxFile = 64 * 1024;

struct Paths {
  std::string dir, url, device, secret, ca, certificate, key;
  explicit Paths(const std::string& data_dir)
      : dir(enrollmentDirectory(data_dir)),
        url(dir + "/collector.url"),
        device(dir + "/device.id"),
        secret(dir + "/secret"),
        ca(dir + "/ca.pem"),
        certificate(dir + "/client.pem"),
        key(dir + "/client.key") {}
};

std::string operatingSystem() {
  auto release = platform::readSmallFile("/etc/os-release", kMaxFile);
  if (release.isOk()) {
    const std::string key = "PRETTY_NAME=\"";
    const size_t start = release->find(key);
    if (start != std::string::npos) {
      const size_t end = release->find('"', start + key.size());
      if (end != std::string::npos)
        return release->substr(start + key.size(), end - start - key.size());
    }
  }
  return "Linux";
}

// What the collector answered, as an error that says what to do.
Status refusal(const HttpResponse& response) {
  std::string reason = response.body;
  if (reason.size() > 512) reason.resize(512);
  const std::string message = "the collector refused the enrollment (HTTP " +
                              std::to_string(response.status) + "): " + reason;
  switch (response.status) {
    case 401:
      return Status::permissionDenied(message);
    case 409:
      return Status::failedPrecondition(message);
    default:
      return Status::invalidArgument(message);
  }
}

}  // namespace

std::string enrollmentDirectory(const std::string& data_dir) { return data_dir + "/enrollment"; }

TlsSettings Enrollment::tls() const {
  TlsSettings settings;
  settings.base_url = collector_url;
  settings.ca_file = ca_file;
  settings.certificate_file = certificate_file;
  settings.key_file = key_file;
  return settings;
}

StatusOr<std::optional<Enrollment>> loadEnrollment(const std::string& data_dir) {
  const Paths paths(data_dir);
  auto url = platform::readOneLineFile(paths.url, kMaxFile);
  if (!url.isOk()) {
    if (url.status().code() == Status::Code::kNotFound) return std::optional<Enrollment>();
    return url.status();
  }
  auto device = platform::readOneLineFile(paths.device, kMaxFile);
  if (!device.isOk()) return device.status();
  auto secret = platform::readOneLineFile(paths.secret, kMaxFile);
  if (!secret.isOk()) return secret.status();
  return std::optional<Enrollment>(Enrollment{std::move(url).value(), std::move(device).value(),
                                              std::move(secret).value(), paths.ca,
                                              paths.certificate, paths.key});
}

StatusOr<Enrollment> enroll(const std::string& data_dir, const EnrollmentSettings& settings,
                            const crypto::SecretKey& chain_key) {
  if (!protocol::isValidDeviceId(settings.device_id)) {
    return Status::invalidArgument("device id '" + settings.device_id +
                                   "': use 1-64 characters among A-Z a-z 0-9 . _ -");
  }
  auto trusted_ca = platform::readSmallFile(settings.ca_file, kMaxFile);
  if (!trusted_ca.isOk()) return trusted_ca.status().withContext("collector CA");
  auto trusted_fingerprint = crypto::certificateFingerprint(*trusted_ca);
  if (!trusted_fingerprint.isOk()) {
    return trusted_fingerprint.status().withContext(settings.ca_file);
  }

  auto key = crypto::generatePrivateKeyPem();
  if (!key.isOk()) return key.status();
  auto csr = crypto::makeCertificateRequest(*key, settings.device_id);
  if (!csr.isOk()) return csr.status();
  protocol::EnrollmentRequest request;
  request.secret = settings.secret;
  request.device_id = settings.device_id;
  request.hostname = platform::hostName();
  if (request.hostname.empty()) request.hostname = "unknown";
  request.os = operatingSystem();
  request.csr_pem = *csr;
  std::copy(chain_key.bytes().begin(), chain_key.bytes().end(), request.chain_key.begin());
  request.reenroll = settings.reenroll;

  TlsSettings tls;
  tls.base_url = settings.collector_url;
  tls.ca_file = settings.ca_file;
  auto transport = newCurlTransport(tls);
  if (!transport.isOk()) return transport.status();
  auto response = (*transport)
                      ->post("/v1/enroll", protocol::toJson(request), "application/json",
                             /*gzip_encoded=*/false);
  if (!response.isOk()) return response.status();
  if (response->status != 200) return refusal(*response);
  auto answer = protocol::enrollmentResponseFromJson(response->body);
  if (!answer.isOk()) return answer.status().withContext("enrollment answer");

  // The CA we trusted for this connection must be the one the collector signs with.
  auto answered_fingerprint = crypto::certificateFingerprint(answer->ca_certificate_pem);
  if (!answered_fingerprint.isOk() || *answered_fingerprint != *trusted_fingerprint ||
      answer->ca_fingerprint != *trusted_fingerprint) {
    return Status::permissionDenied("the collector answered with a CA other than " +
                                    settings.ca_file + "; not enrolled");
  }
  auto issued = crypto::inspectCertificate(answer->certificate_pem);
  if (!issued.isOk()) return issued.status().withContext("issued certificate");
  if (issued->common_name != settings.device_id || answer->device_id != settings.device_id) {
    return Status::permissionDenied("the collector issued a certificate for '" +
                                    issued->common_name + "', not '" + settings.device_id + "'");
  }

  const Paths paths(data_dir);
  VIGIE_RETURN_IF_ERROR(platform::createPrivateDirectory(paths.dir));
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.key, *key));
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.certificate, answer->certificate_pem));
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.ca, answer->ca_certificate_pem));
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.secret, settings.secret + "\n"));
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.device, settings.device_id + "\n"));
  // Written last: its presence means the enrollment is complete.
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.url, settings.collector_url + "\n"));
  return Enrollment{settings.collector_url, settings.device_id, settings.secret, paths.ca,
                    paths.certificate,      paths.key};
}

StatusOr<Enrollment> reenroll(const std::string& data_dir, const Enrollment& enrollment,
                              const crypto::SecretKey& chain_key) {
  // The pinned CA is copied first: enroll() replaces the file it reads.
  auto pinned = platform::readSmallFile(enrollment.ca_file, kMaxFile);
  if (!pinned.isOk()) return pinned.status();
  const std::string copy = enrollment.ca_file + ".trusted";
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(copy, *pinned));
  EnrollmentSettings settings{enrollment.collector_url, copy, enrollment.secret,
                              enrollment.device_id, /*reenroll=*/true};
  auto result = enroll(data_dir, settings, chain_key);
  std::error_code ignored;
  std::filesystem::remove(copy, ignored);
  return result;
}

}  // namespace vigie::agent
