#include "sequence_reservation.h"

#include <charconv>

#include "vigie/platform/atomic_file.h"

namespace vigie::agent {

void SequenceReservation::load() {
  ceiling_ = 0;
  auto content = platform::readSmallFile(path_, 64);
  if (!content.isOk()) return;
  const std::string& text = *content;
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && (ptr == text.data() + text.size() || *ptr == '\n')) ceiling_ = value;
}

Status SequenceReservation::cover(uint64_t seq) {
  if (seq <= ceiling_) return Status::ok();
  const uint64_t ceiling = seq + kStep;
  VIGIE_RETURN_IF_ERROR(platform::writeFileAtomically(path_, std::to_string(ceiling) + "\n")
                            .withContext("sequence reservation"));
  ceiling_ = ceiling;
  return Status::ok();
}

}  // namespace vigie::agent
