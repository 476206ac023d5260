#include "vigie/collector/collector_home.h"

#include <filesystem>

#include "vigie/crypto/key_store.h"
#include "vigie/crypto/random.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/hex.h"

namespace vigie::collector {
namespace {

constexpr size_t kMaxPemFile = 64 * 1024;

struct Paths {
  std::string ca_certificate, ca_key, server_certificate, server_key, secret, keys, store;
  explicit Paths(const std::string& dir)
      : ca_certificate(dir + "/ca.pem"),
        ca_key(dir + "/ca.key"),
        server_certificate(dir + "/server.pem"),
        server_key(dir + "/server.key"),
        secret(dir + "/enrollment.secret"),
        keys(dir + "/keys"),
        store(dir + "/store.db") {}
};

bool exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

// Certificates are public: readable by all, so installers and clients can take the CA.
Status writePublicFile(const std::string& path, std::string_view content) {
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(path, content));
  std::error_code error;
  std::filesystem::permissions(path, std::filesystem::perms(0644),
                               std::filesystem::perm_options::replace, error);
  if (error) return Status::ioError("cannot chmod " + path + ": " + error.message());
  return Status::ok();
}

Status ensureAuthority(const Paths& paths, int days) {
  if (exists(paths.ca_certificate) || exists(paths.ca_key)) return Status::ok();
  auto created = crypto::CertificateAuthority::create("Vigie collector CA", days * 4);
  if (!created.isOk()) return created.status();
  // Key first: a crash in between leaves no certificate without its key.
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.ca_key, created->privateKeyPem()));
  return writePublicFile(paths.ca_certificate, created->certificatePem());
}

Status ensureServerCertificate(const Paths& paths, const crypto::CertificateAuthority& authority,
                               const HomeOptions& options) {
  if (exists(paths.server_certificate) && exists(paths.server_key)) return Status::ok();
  auto key = crypto::generatePrivateKeyPem();
  if (!key.isOk()) return key.status();
  auto certificate =
      authority.issueServerCertificate(*key, options.server_names, options.certificate_days);
  if (!certificate.isOk()) return certificate.status();
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths.server_key, *key));
  return writePublicFile(paths.server_certificate, *certificate);
}

Status ensureSecret(const Paths& paths) {
  if (exists(paths.secret)) return Status::ok();
  std::array<uint8_t, 24> bytes{};
  VIGIE_RETURN_IF_ERROR(crypto::fillRandom(bytes));
  return platform::writeFileAtomically(paths.secret, protocol::toHex(bytes) + "\n");
}

StatusOr<CollectorHome> load(const std::string& data_dir, bool create) {
  const Paths paths(data_dir);
  auto store_key = create ? crypto::newFileKeyStore(paths.keys)->loadOrCreate("store")
                          : crypto::newFileKeyStore(paths.keys)->load("store");
  if (!store_key.isOk()) return store_key.status();
  auto secret = platform::readOneLineFile(paths.secret, 1024);
  if (!secret.isOk()) return secret.status();
  if (secret->size() < 16) {
    return Status::failedPrecondition(paths.secret +
                                      ": the enrollment secret is shorter than 16 "
                                      "characters");
  }
  auto certificate = platform::readSmallFile(paths.ca_certificate, kMaxPemFile);
  if (!certificate.isOk()) return certificate.status();
  auto key = platform::readSmallFile(paths.ca_key, kMaxPemFile);
  if (!key.isOk()) return key.status();
  auto authority =
      crypto::CertificateAuthority::load(std::move(certificate).value(), std::move(key).value());
  if (!authority.isOk()) return authority.status().withContext(paths.ca_certificate);
  return CollectorHome{data_dir,
                       paths.ca_certificate,
                       paths.server_certificate,
                       paths.server_key,
                       paths.secret,
                       paths.store,
                       std::move(secret).value(),
                       std::move(store_key).value(),
                       std::move(authority).value()};
}

}  // namespace

StatusOr<CollectorHome> prepareCollectorHome(const HomeOptions& options) {
  if (options.server_names.empty()) {
    return Status::invalidArgument("the server certificate needs at least one name");
  }
  VIGIE_RETURN_IF_ERROR(platform::createPrivateDirectory(options.data_dir));
  const Paths paths(options.data_dir);
  VIGIE_RETURN_IF_ERROR(ensureAuthority(paths, options.certificate_days));
  VIGIE_RETURN_IF_ERROR(ensureSecret(paths));
  auto home = load(options.data_dir, /*create=*/true);
  if (!home.isOk()) return home.status();
  VIGIE_RETURN_IF_ERROR(ensureServerCertificate(paths, home->authority, options));
  return home;
}

StatusOr<CollectorHome> openCollectorHome(const std::string& data_dir) {
  return load(data_dir, /*create=*/false);
}

}  // namespace vigie::collector
