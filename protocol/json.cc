#include "vigie/protocol/json.h"

#include <charconv>

#include "vigie/protocol/utf8.h"

namespace vigie::protocol::json {
namespace {

class Parser {
 public:
  Parser(std::string_view text, size_t max_depth) : text_(text), max_depth_(max_depth) {}

  StatusOr<Value> parseDocument() {
    Value value;
    skipSpace();
    if (!parseValue(value, 0)) return error_;
    skipSpace();
    if (pos_ != text_.size()) return fail("unexpected data after the JSON value");
    return value;
  }

 private:
  Status fail(std::string_view what) {
    error_ = Status::invalidArgument("malformed JSON at byte " + std::to_string(pos_) + ": " +
                                     std::string(what));
    return error_;
  }

  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  void skipSpace() {
    while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++pos_;
    }
  }

  bool consumeLiteral(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) {
      fail("unknown literal");
      return false;
    }
    pos_ += literal.size();
    return true;
  }

  bool parseValue(Value& out, size_t depth) {
    if (depth > max_depth_) {
      fail("nesting deeper than " + std::to_string(max_depth_));
      return false;
    }
    if (atEnd()) {
      fail("unexpected end of input");
      return false;
    }
    switch (peek()) {
      case '{':
        return parseObject(out, depth);
      case '[':
        return parseArray(out, depth);
      case '"':
        out.kind = Value::Kind::kString;
        return parseString(out.string);
      case 't':
        out.kind = Value::Kind::kBool;
        out.boolean = true;
        return consumeLiteral("true");
      case 'f':
        out.kind = Value::Kind::kBool;
        out.boolean = false;
        return consumeLiteral("false");
      case 'n':
        out.kind = Value::Kind::kNull;
        return consumeLiteral("null");
      default:
        return parseInteger(out);
    }
  }

  bool parseObject(Value& out, size_t depth) {
    out.kind = Value::Kind::kObject;
    ++pos_;  // '{'
    skipSpace();
    if (!atEnd() && peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skipSpace();
      if (atEnd() || peek() != '"') {
        fail("expected an object key");
        return false;
      }
      std::string key;
      if (!parseString(key)) return false;
      if (out.find(key) != nullptr) {
        fail("duplicate key \"" + key + "\"");
        return false;
      }
      skipSpace();
      if (atEnd() || peek() != ':') {
        fail("expected ':' after an object key");
        return false;
      }
      ++pos_;
      skipSpace();
      Value member;
      if (!parseValue(member, depth + 1)) return false;
      out.object.push_back(Member{std::move(key), std::move(member)});
      skipSpace();
      if (atEnd()) {
        fail("unterminated object");
        return false;
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      fail("expected ',' or '}' in an object");
      return false;
    }
  }

  bool parseArray(Value& out, size_t depth) {
    out.kind = Value::Kind::kArray;
    ++pos_;  // '['
    skipSpace();
    if (!atEnd() && peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skipSpace();
      Value element;
      if (!parseValue(element, depth + 1)) return false;
      out.array.push_back(std::move(element));
      skipSpace();
      if (atEnd()) {
        fail("unterminated array");
        return false;
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      fail("expected ',' or ']' in an array");
      return false;
    }
  }

  bool parseInteger(Value& out) {
    out.kind = Value::Kind::kInteger;
    const size_t start = pos_;
    if (peek() == '-') {
      out.negative = true;
      ++pos_;
    }
    const size_t digits = pos_;
    while (!atEnd() && peek() >= '0' && peek() <= '9') ++pos_;
    if (pos_ == digits) {
      pos_ = start;
      fail("unexpected character");
      return false;
    }
    if (text_[digits] == '0' && pos_ - digits > 1) {
      fail("leading zeros are not allowed");
      return false;
    }
    if (!atEnd() && (peek() == '.' || peek() == 'e' || peek() == 'E')) {
      fail("numbers must be integers");
      return false;
    }
    const auto [ptr, ec] =
        std::from_chars(text_.data() + digits, text_.data() + pos_, out.magnitude);
    if (ec != std::errc() || ptr != text_.data() + pos_) {
      fail("integer out of range");
      return false;
    }
    if (out.negative && out.magnitude == 0) out.negative = false;
    return true;
  }

  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool parseHex4(uint32_t& out) {
    if (text_.size() - pos_ < 4) {
      fail("truncated \\u escape");
      return false;
    }
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hexDigit(text_[pos_ + static_cast<size_t>(i)]);
      if (digit < 0) {
        fail("bad \\u escape");
        return false;
      }
      out = (out << 4) | static_cast<uint32_t>(digit);
    }
    pos_ += 4;
    return true;
  }

  static void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool parseEscape(std::string& out) {
    if (atEnd()) {
      fail("unterminated escape");
      return false;
    }
    const char c = text_[pos_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out += c;
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        break;
      default:
        --pos_;
        fail("unknown escape");
        return false;
    }
    uint32_t cp = 0;
    if (!parseHex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      fail("lone low surrogate");
      return false;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low = 0;
      if (text_.substr(pos_, 2) != "\\u") {
        fail("lone high surrogate");
        return false;
      }
      pos_ += 2;
      if (!parseHex4(low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) {
        fail("lone high surrogate");
        return false;
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, cp);
    return true;
  }

  bool parseString(std::string& out) {
    ++pos_;  // opening quote
    const size_t start = pos_;
    while (true) {
      if (atEnd()) {
        fail("unterminated string");
        return false;
      }
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        fail("control character in a string");
        return false;
      }
      if (c == '\\') {
        ++pos_;
        if (!parseEscape(out)) return false;
        continue;
      }
      // Copy a run of plain bytes at once.
      size_t run = pos_;
      while (run < text_.size() && text_[run] != '"' && text_[run] != '\\' &&
             static_cast<unsigned char>(text_[run]) >= 0x20) {
        ++run;
      }
      out.append(text_.substr(pos_, run - pos_));
      pos_ = run;
    }
    if (!isValidUtf8(out)) {
      pos_ = start;
      fail("invalid UTF-8 in a string");
      return false;
    }
    return true;
  }

  std::string_view text_;
  size_t max_depth_;
  size_t pos_ = 0;
  Status error_;
};

}  // namespace

const Value* Value::find(std::string_view key) const {
  for (const auto& [name, value] : object) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::string_view kindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "boolean";
    case Value::Kind::kInteger:
      return "integer";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kArray:
      return "array";
    case Value::Kind::kObject:
      return "object";
  }
  return "unknown";
}

StatusOr<Value> parse(std::string_view text, size_t max_depth) {
  return Parser(text, max_depth).parseDocument();
}

void appendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run_start, i - run_start));
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text.substr(run_start));
  out += '"';
}

void appendValue(std::string& out, const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += value.boolean ? "true" : "false";
      return;
    case Value::Kind::kInteger:
      if (value.negative) out += '-';
      out += std::to_string(value.magnitude);
      return;
    case Value::Kind::kString:
      appendString(out, value.string);
      return;
    case Value::Kind::kArray:
      out += '[';
      for (size_t i = 0; i < value.array.size(); ++i) {
        if (i != 0) out += ',';
        appendValue(out, value.array[i]);
      }
      out += ']';
      return;
    case Value::Kind::kObject:
      out += '{';
      for (size_t i = 0; i < value.object.size(); ++i) {
        if (i != 0) out += ',';
        appendString(out, value.object[i].first);
        out += ':';
        appendValue(out, value.object[i].second);
      }
      out += '}';
      return;
  }
}

}  // namespace vigie::protocol::json
