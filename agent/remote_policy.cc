#include "vigie/agent/remote_policy.h"

#include <unistd.h>

#include <cerrno>
#include <vector>

#include "vigie/crypto/x509.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"

namespace vigie::agent {
namespace {

namespace json = protocol::json;

constexpr size_t kMaxDocumentBytes = 1 << 20;
constexpr size_t kMaxSignatureBytes = 256;  // a DER ECDSA P-256 signature is at most 72

std::string keptDocument(const RemotePolicyPaths& paths) {
  return paths.store_dir + "/policy.json";
}
std::string keptSignature(const RemotePolicyPaths& paths) {
  return paths.store_dir + "/policy.sig";
}

// Without a policy that verifies, the sensors fall back to their local one.
Status unpublish(const RemotePolicyPaths& paths) {
  if (::unlink(paths.publish_path.c_str()) != 0 && errno != ENOENT) {
    return Status::ioError("cannot remove the stale " + paths.publish_path);
  }
  return Status::ok();
}

}  // namespace

StatusOr<policy::WorkstationPolicy> RemotePolicy::verify(std::string_view document,
                                                         std::string_view signature_hex) const {
  if (signature_hex.empty() || signature_hex.size() % 2 != 0 ||
      signature_hex.size() > 2 * kMaxSignatureBytes) {
    return Status::invalidArgument("policy refused: malformed signature");
  }
  std::vector<uint8_t> signature(signature_hex.size() / 2);
  if (!protocol::parseHex("signature", signature_hex, signature).isOk()) {
    return Status::invalidArgument("policy refused: malformed signature");
  }
  auto ca = platform::readSmallFile(paths_.ca_file, 64 * 1024);
  if (!ca.isOk()) return ca.status();
  if (Status s = crypto::verifySignature(*ca, document, signature); !s.isOk()) {
    return Status::invalidArgument("policy refused: " + s.message() +
                                   " with the collector CA enrolled");
  }
  auto parsed = policy::parseWorkstationPolicy(document);
  if (!parsed.isOk()) {
    return Status::invalidArgument("policy refused: " + parsed.status().message());
  }
  if (parsed->serial == 0) return Status::invalidArgument("policy refused: it has no serial");
  return parsed;
}

Status RemotePolicy::keepAndPublish(std::string_view document,
                                    std::string_view signature_hex) const {
  VIGIE_RETURN_IF_ERROR(platform::createPrivateDirectory(paths_.store_dir));
  // The signature is written last: a crash in between leaves a pair that fails to verify at the
  // next start, which is refused and reported, never half applied.
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(keptDocument(paths_), document));
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(keptSignature(paths_), signature_hex));
  // Session sensors of every account read it; it holds rules, never a secret.
  return platform::writeFileAtomically(paths_.publish_path, document, 0644);
}

Status RemotePolicy::refuse(const Status& why) {
  std::lock_guard lock(mu_);
  state_.error = why.message();
  return why;
}

StatusOr<std::optional<policy::WorkstationPolicy>> RemotePolicy::loadKept() {
  auto document = platform::readSmallFile(keptDocument(paths_), kMaxDocumentBytes);
  if (!document.isOk() && document.status().code() == Status::Code::kNotFound) {
    VIGIE_RETURN_IF_ERROR(unpublish(paths_));
    return std::optional<policy::WorkstationPolicy>();
  }
  if (!document.isOk()) return document.status();
  auto signature = platform::readOneLineFile(keptSignature(paths_), 2 * kMaxSignatureBytes + 16);
  auto verified = signature.isOk() ? verify(*document, *signature)
                                   : StatusOr<policy::WorkstationPolicy>(signature.status());
  if (!verified.isOk()) {
    (void)unpublish(paths_);
    return refuse(verified.status().withContext("kept policy"));
  }
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(paths_.publish_path, *document, 0644));
  std::lock_guard lock(mu_);
  state_ = protocol::HeartbeatPolicy{verified->serial, verified->version, ""};
  return std::optional<policy::WorkstationPolicy>(std::move(verified).value());
}

StatusOr<policy::WorkstationPolicy> RemotePolicy::accept(std::string_view answer) {
  auto parsed = json::parse(answer);
  const json::Value* document = nullptr;
  const json::Value* signature = nullptr;
  if (parsed.isOk() && parsed->kind == json::Value::Kind::kObject) {
    document = parsed->find("document");
    signature = parsed->find("signature");
  }
  if (document == nullptr || signature == nullptr || document->kind != json::Value::Kind::kString ||
      signature->kind != json::Value::Kind::kString ||
      document->string.size() > kMaxDocumentBytes) {
    return refuse(Status::invalidArgument("policy refused: the collector's answer is malformed"));
  }
  auto verified = verify(document->string, signature->string);
  if (!verified.isOk()) return refuse(verified.status());
  {
    std::lock_guard lock(mu_);
    if (verified->serial == state_.serial) {
      return Status::failedPrecondition("policy " + std::to_string(state_.serial) +
                                        " is already in force");
    }
    if (verified->serial < state_.serial) {
      state_.error = "policy refused: serial " + std::to_string(verified->serial) +
                     " is older than the policy in force (" + std::to_string(state_.serial) + ")";
      return Status::invalidArgument(state_.error);
    }
  }
  if (Status kept = keepAndPublish(document->string, signature->string); !kept.isOk()) {
    return refuse(kept.withContext("policy not applied"));
  }
  std::lock_guard lock(mu_);
  state_ = protocol::HeartbeatPolicy{verified->serial, verified->version, ""};
  return verified;
}

protocol::HeartbeatPolicy RemotePolicy::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

}  // namespace vigie::agent
