#include "pii_classifier.h"

#include <string>
#include <vector>

namespace vigie::session {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isAlnum(char c) { return isDigit(c) || isUpper(c) || isLower(c); }
char toUpper(char c) { return isLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

bool isEmailLocalChar(char c) {
  return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool isDomainChar(char c) { return isAlnum(c) || c == '.' || c == '-'; }

// Marks bytes already counted so that a later class does not count them again.
class Consumed {
 public:
  explicit Consumed(size_t size) : used_(size, false) {}
  bool any(size_t begin, size_t end) const {
    for (size_t i = begin; i < end; ++i) {
      if (used_[i]) return true;
    }
    return false;
  }
  void mark(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) used_[i] = true;
  }
  bool at(size_t i) const { return used_[i]; }

 private:
  std::vector<bool> used_;
};

// Remainder of a number written in decimal (and letters as 10..35) modulo 97.
int mod97(std::string_view digits_and_letters) {
  int remainder = 0;
  for (const char c : digits_and_letters) {
    if (isDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      const int value = c - 'A' + 10;
      remainder = (remainder * 100 + value) % 97;
    }
  }
  return remainder;
}

uint64_t countIbans(std::string_view text, Consumed& consumed) {
  uint64_t count = 0;
  size_t i = 0;
  while (i + 4 <= text.size()) {
    const bool starts_word = i == 0 || !isAlnum(text[i - 1]);
    if (!starts_word || !isAlnum(text[i]) || isDigit(text[i]) || isDigit(text[i + 1]) ||
        !isAlnum(text[i + 1]) || !isDigit(text[i + 2]) || !isDigit(text[i + 3])) {
      ++i;
      continue;
    }
    // Collect up to 34 alphanumerics, allowing one space between groups.
    std::string compact;
    std::vector<size_t> end_of;  // end offset in text after compact[k]
    size_t j = i;
    while (j < text.size() && compact.size() < 34) {
      if (isAlnum(text[j])) {
        compact += toUpper(text[j]);
        end_of.push_back(++j);
      } else if (text[j] == ' ' && j + 1 < text.size() && isAlnum(text[j + 1]) &&
                 !compact.empty()) {
        ++j;
      } else {
        break;
      }
    }
    size_t matched = 0;
    for (size_t length = compact.size(); length >= 15; --length) {
      const size_t end = end_of[length - 1];
      const bool ends_word = end >= text.size() || !isAlnum(text[end]);
      if (ends_word && isValidIban(std::string_view(compact).substr(0, length))) {
        matched = length;
        break;
      }
    }
    if (matched == 0) {
      ++i;
      continue;
    }
    ++count;
    consumed.mark(i, end_of[matched - 1]);
    i = end_of[matched - 1];
  }
  return count;
}

uint64_t countEmails(std::string_view text, Consumed& consumed) {
  uint64_t count = 0;
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && isEmailLocalChar(text[begin - 1])) --begin;
    size_t end = at + 1;
    while (end < text.size() && isDomainChar(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;  // "a@b.fr."
    if (begin == at || end == at + 1) continue;
    const std::string_view domain = text.substr(at + 1, end - at - 1);
    const size_t last_dot = domain.rfind('.');
    if (last_dot == std::string_view::npos || last_dot == 0 || domain.size() - last_dot - 1 < 2) {
      continue;
    }
    bool tld_letters = true;
    for (const char c : domain.substr(last_dot + 1)) tld_letters = tld_letters && !isDigit(c);
    if (!tld_letters || consumed.any(begin, end)) continue;
    ++count;
    consumed.mark(begin, end);
  }
  return count;
}

// A run of digits with single spaces, dots or dashes between them (and a leading '+'), e.g.
// "+33 6 12 34 56 78" or "4970-1012-3456-7890". Corsican NIRs carry 2A/2B: kept as letters.
struct NumberRun {
  size_t begin = 0;
  size_t end = 0;
  bool plus = false;
  std::string compact;
};

std::vector<NumberRun> numberRuns(std::string_view text, const Consumed& consumed) {
  std::vector<NumberRun> runs;
  size_t i = 0;
  while (i < text.size()) {
    const bool plus = text[i] == '+' && i + 1 < text.size() && isDigit(text[i + 1]);
    if ((!isDigit(text[i]) && !plus) || consumed.at(i) || (i > 0 && isAlnum(text[i - 1]))) {
      ++i;
      continue;
    }
    NumberRun run;
    run.begin = i;
    run.plus = plus;
    size_t j = plus ? i + 1 : i;
    while (j < text.size() && !consumed.at(j)) {
      const char c = text[j];
      const bool corsica =
          (c == 'A' || c == 'B') && run.compact.size() == 6 && run.compact.back() == '2';
      if (isDigit(c) || corsica) {
        run.compact += c;
        ++j;
      } else if ((c == ' ' || c == '.' || c == '-') && j + 1 < text.size() &&
                 isDigit(text[j + 1]) && !run.compact.empty()) {
        ++j;
      } else {
        break;
      }
    }
    run.end = j;
    if (j < text.size() && isAlnum(text[j])) {  // glued to a word: not a number on its own
      while (j < text.size() && isAlnum(text[j])) ++j;
      i = j;
      continue;
    }
    runs.push_back(std::move(run));
    i = j;
  }
  return runs;
}

bool isFrenchPhone(const NumberRun& run) {
  const std::string& d = run.compact;
  auto subscriber = [](std::string_view nine) { return nine.size() == 9 && nine[0] != '0'; };
  if (run.plus) return d.size() == 11 && d.starts_with("33") && subscriber(d.substr(2));
  if (d.size() == 10 && d[0] == '0') return subscriber(d.substr(1));
  if (d.size() == 13 && d.starts_with("0033")) return subscriber(d.substr(4));
  return false;
}

bool allDigits(std::string_view s) {
  for (const char c : s) {
    if (!isDigit(c)) return false;
  }
  return !s.empty();
}

}  // namespace

bool isValidIban(std::string_view compact) {
  if (compact.size() < 15 || compact.size() > 34) return false;
  if (!isUpper(compact[0]) || !isUpper(compact[1]) || !isDigit(compact[2]) ||
      !isDigit(compact[3])) {
    return false;
  }
  for (const char c : compact) {
    if (!isDigit(c) && !isUpper(c)) return false;
  }
  std::string rearranged(compact.substr(4));
  rearranged += compact.substr(0, 4);
  return mod97(rearranged) == 1;
}

bool passesLuhn(std::string_view digits) {
  if (!allDigits(digits)) return false;
  int sum = 0;
  bool doubled = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int value = digits[i] - '0';
    if (doubled) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

bool isValidNir(std::string_view compact) {
  if (compact.size() != 15) return false;
  std::string number(compact.substr(0, 13));
  // Corsica: 2A counts as 19, 2B as 18 in the key computation.
  int corsica_offset = 0;
  if (number[6] == 'A' || number[6] == 'B') {
    if (number[5] != '2') return false;
    corsica_offset = number[6] == 'A' ? 1000000 : 2000000;
    number[6] = '0';
  }
  if (!allDigits(number) || !allDigits(compact.substr(13))) return false;
  const char sex = number[0];
  if (sex != '1' && sex != '2' && sex != '3' && sex != '4' && sex != '7' && sex != '8') {
    return false;
  }
  const int month = (number[3] - '0') * 10 + (number[4] - '0');
  if (corsica_offset == 0 && !((month >= 1 && month <= 12) || month == 20 || month >= 30)) {
    return false;
  }
  // value mod 97 with 13 digits fits in 64 bits.
  uint64_t value = std::stoull(number);
  value -= static_cast<uint64_t>(corsica_offset);
  const uint64_t key = 97 - value % 97;
  return key == std::stoull(std::string(compact.substr(13)));
}

protocol::PiiCounts classifyPii(std::string_view text) {
  protocol::PiiCounts counts;
  Consumed consumed(text.size());
  counts.iban = countIbans(text, consumed);
  counts.email = countEmails(text, consumed);
  for (const NumberRun& run : numberRuns(text, consumed)) {
    if (run.compact.size() == 15 && !run.plus && isValidNir(run.compact)) {
      ++counts.nir;
    } else if (!run.plus && run.compact.size() >= 13 && run.compact.size() <= 19 &&
               passesLuhn(run.compact) && run.compact[0] != '0') {
      ++counts.payment_card;
    } else if (isFrenchPhone(run)) {
      ++counts.phone_fr;
    }
  }
  return counts;
}

}  // namespace vigie::session
