#pragma once

// Counts personal-data items in copied text, in memory. The session sensor calls it on the
// clipboard's text and then discards the text: only the counts leave (docs/session-sensor.md).

#include <string_view>

#include "vigie/protocol/event.h"

namespace vigie::session {

// E-mail addresses, French telephone numbers (0X XX XX XX XX, +33 X…, 0033 X…, with spaces, dots
// or dashes between groups), IBANs (ISO 13616, mod-97 check, grouped or not), payment card
// numbers (13–19 digits, Luhn check) and French social-security numbers (NIR, 15 digits whose
// last two are the key 97 − (first 13 mod 97); Corsican 2A/2B accepted).
// Each item counts once, in the first class it fits (IBAN, e-mail, NIR, card, phone).
protocol::PiiCounts classifyPii(std::string_view text);

// The checks themselves, on digits / upper-case alphanumerics without separators.
bool isValidIban(std::string_view compact);
bool passesLuhn(std::string_view digits);
bool isValidNir(std::string_view compact);  // 15 characters, digits or 2A/2B in the department

}  // namespace vigie::session
