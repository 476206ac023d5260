#pragma once

#include <cstdint>
#include <string>

#include "vigie/protocol/status.h"

namespace vigie::agent {

// A ceiling on the sequence numbers ever handed out, kept in a small file beside the queue and
// raised in large steps. If the queue file is lost or unreadable, a fresh queue resumes above the
// ceiling, so a sequence number is never issued twice for a device.
class SequenceReservation {
 public:
  static constexpr uint64_t kStep = 1u << 20;

  explicit SequenceReservation(std::string path) : path_(std::move(path)) {}

  // Reads the file; a missing or unreadable file counts as no reservation (ceiling 0).
  void load();
  uint64_t ceiling() const { return ceiling_; }
  // Makes sure every sequence number up to `seq` is covered, raising the file durably if not.
  Status cover(uint64_t seq);

 private:
  std::string path_;
  uint64_t ceiling_ = 0;
};

}  // namespace vigie::agent
