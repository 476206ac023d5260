#include "vigie/crypto/hmac_chain.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

#include "vigie/protocol/canonical.h"

namespace vigie::crypto {
namespace {

// OpenSSL failing to compute an HMAC with a valid key is a broken invariant, not an input error.
void check(int ok, const char* what) {
  if (ok != 1) {
    std::fprintf(stderr, "vigie: OpenSSL failure in %s\n", what);
    std::abort();
  }
}

}  // namespace

struct ChainSigner::Impl {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;
  ~Impl() {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
  }
};

ChainSigner::ChainSigner(const SecretKey& key) : impl_(std::make_unique<Impl>()) {
  impl_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  check(impl_->mac != nullptr, "EVP_MAC_fetch");
  impl_->ctx = EVP_MAC_CTX_new(impl_->mac);
  check(impl_->ctx != nullptr, "EVP_MAC_CTX_new");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_END};
  check(EVP_MAC_init(impl_->ctx, key.bytes().data(), key.bytes().size(), params), "EVP_MAC_init");
}

ChainSigner::~ChainSigner() = default;

Mac ChainSigner::mac(const Mac& prev, std::string_view canonical) {
  // Re-initialising with a null key keeps the key already set: no per-event key schedule.
  check(EVP_MAC_init(impl_->ctx, nullptr, 0, nullptr), "EVP_MAC_init");
  check(EVP_MAC_update(impl_->ctx, prev.data(), prev.size()), "EVP_MAC_update");
  check(EVP_MAC_update(impl_->ctx, reinterpret_cast<const unsigned char*>(canonical.data()),
                       canonical.size()),
        "EVP_MAC_update");
  Mac out{};
  size_t length = 0;
  check(EVP_MAC_final(impl_->ctx, out.data(), &length, out.size()), "EVP_MAC_final");
  check(length == out.size(), "EVP_MAC_final length");
  return out;
}

void ChainSigner::seal(protocol::Event& event, const Mac& prev, std::string& scratch) {
  scratch.clear();
  protocol::appendCanonical(scratch, event);
  event.prev = prev;
  event.mac = mac(prev, scratch);
}

std::string_view kindName(ChainBreak::Kind kind) {
  switch (kind) {
    case ChainBreak::Kind::kGap:
      return "gap";
    case ChainBreak::Kind::kFork:
      return "fork";
    case ChainBreak::Kind::kBadMac:
      return "bad MAC";
  }
  return "unknown";
}

ChainVerifier::ChainVerifier(const SecretKey& key, uint64_t last_seq, const Mac& last_mac)
    : signer_(key), last_seq_(last_seq), last_mac_(last_mac) {}

std::optional<ChainBreak> ChainVerifier::check(const protocol::Event& event) {
  scratch_.clear();
  protocol::appendCanonical(scratch_, event);
  const Mac expected = signer_.mac(event.prev, scratch_);
  if (CRYPTO_memcmp(expected.data(), event.mac.data(), expected.size()) != 0) {
    return ChainBreak{ChainBreak::Kind::kBadMac, event.seq,
                      "event " + std::to_string(event.seq) + " does not match its MAC"};
  }
  std::optional<ChainBreak> found;
  if (event.seq <= last_seq_) {
    found = ChainBreak{ChainBreak::Kind::kFork, event.seq,
                       "sequence " + std::to_string(event.seq) + " after " +
                           std::to_string(last_seq_) + ": the chain went back"};
  } else if (event.seq > last_seq_ + 1) {
    found = ChainBreak{ChainBreak::Kind::kGap, event.seq,
                       std::to_string(event.seq - last_seq_ - 1) + " event(s) missing between " +
                           std::to_string(last_seq_) + " and " + std::to_string(event.seq)};
  } else if (CRYPTO_memcmp(event.prev.data(), last_mac_.data(), last_mac_.size()) != 0) {
    found = ChainBreak{ChainBreak::Kind::kFork, event.seq,
                       "event " + std::to_string(event.seq) +
                           " does not continue the MAC of event " + std::to_string(last_seq_)};
  }
  last_seq_ = event.seq;
  last_mac_ = event.mac;
  return found;
}

std::optional<ChainBreak> verifyChain(const SecretKey& key, std::span<const protocol::Event> events,
                                      uint64_t last_seq, const Mac& last_mac) {
  ChainVerifier verifier(key, last_seq, last_mac);
  for (const auto& event : events) {
    if (auto broken = verifier.check(event)) return broken;
  }
  return std::nullopt;
}

}  // namespace vigie::crypto
