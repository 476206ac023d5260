#include "item_format.h"

#include <algorithm>

#include "vigie/protocol/utf8.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

// The event keys that have a column of their own, or (team, device, brand) that the table
// leaves to --json and --csv; anything else an item carries is shown with its details
// (incidents, for instance, have keys of their own).
constexpr std::string_view kTableKeys[] = {"time",      "source", "type",   "user", "host",
                                           "record_id", "team",   "device", "brand"};
constexpr size_t kTableColumns = 6;  // the first six of kTableKeys
constexpr std::string_view kCsvKeys[] = {"time",   "source", "type",  "user",     "team",
                                         "device", "host",   "brand", "record_id"};

std::string field(const json::Value& item, std::string_view key) {
  if (item.kind != json::Value::Kind::kObject) return "";
  const json::Value* value = item.find(key);
  return value == nullptr ? "" : cellText(*value);
}

// The item's details, plus any key without a column of its own.
json::Value extraDetails(const json::Value& item, const std::string_view* keys, size_t count) {
  json::Value extra;
  extra.kind = json::Value::Kind::kObject;
  if (item.kind != json::Value::Kind::kObject) return extra;
  for (const auto& member : item.object) {
    if (std::find(keys, keys + count, member.first) != keys + count) continue;
    if (member.first == "details" && member.second.kind == json::Value::Kind::kObject) {
      for (const auto& inner : member.second.object) extra.object.push_back(inner);
    } else {
      extra.object.push_back(member);
    }
  }
  return extra;
}

size_t displayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string toJson(const json::Value& value) {
  std::string out;
  switch (value.kind) {
    case json::Value::Kind::kNull:
      return "null";
    case json::Value::Kind::kBool:
      return value.boolean ? "true" : "false";
    case json::Value::Kind::kInteger:
      return (value.negative ? "-" : "") + std::to_string(value.magnitude);
    case json::Value::Kind::kString:
      json::appendString(out, value.string);
      return out;
    case json::Value::Kind::kArray:
      out = "[";
      for (size_t i = 0; i < value.array.size(); ++i) {
        if (i > 0) out += ',';
        out += toJson(value.array[i]);
      }
      return out + "]";
    case json::Value::Kind::kObject:
      out = "{";
      for (size_t i = 0; i < value.object.size(); ++i) {
        if (i > 0) out += ',';
        json::appendString(out, value.object[i].first);
        out += ':';
        out += toJson(value.object[i].second);
      }
      return out + "}";
  }
  return out;
}

std::string cellText(const json::Value& value) {
  std::string out;
  switch (value.kind) {
    case json::Value::Kind::kNull:
      return "";
    case json::Value::Kind::kString:
      return value.string;
    case json::Value::Kind::kArray:
      for (size_t i = 0; i < value.array.size(); ++i) {
        if (i > 0) out += ',';
        out += cellText(value.array[i]);
      }
      return out;
    case json::Value::Kind::kObject:
      for (const auto& member : value.object) {
        const std::string text = cellText(member.second);
        if (text.empty()) continue;
        if (!out.empty()) out += ' ';
        out += member.first + "=" + text;
      }
      return out;
    default:
      return toJson(value);
  }
}

std::string printable(std::string_view text) {
  std::string valid = protocol::isValidUtf8(text) ? std::string(text) : std::string();
  if (valid.empty() && !text.empty()) {
    // Invalid UTF-8 cannot come from the strict JSON reader; keep ASCII, replace the rest.
    for (const char c : text) valid += static_cast<unsigned char>(c) < 0x80 ? c : '?';
  }
  std::string out;
  for (size_t i = 0; i < valid.size(); ++i) {
    const auto c = static_cast<unsigned char>(valid[i]);
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xC2 && i + 1 < valid.size() &&
               static_cast<unsigned char>(valid[i + 1]) < 0xA0) {
      out += '?';  // C1 controls, U+0080..U+009F
      ++i;
    } else {
      out += valid[i];
    }
  }
  return out;
}

std::vector<std::string> auditTableHeader() {
  return {"time", "source", "type", "user", "host", "record", "details"};
}

std::vector<std::string> auditTableRow(const json::Value& item) {
  std::vector<std::string> row;
  for (size_t i = 0; i < kTableColumns; ++i) row.push_back(field(item, kTableKeys[i]));
  row.push_back(cellText(extraDetails(item, kTableKeys, std::size(kTableKeys))));
  return row;
}

std::vector<std::string> auditCsvHeader() {
  std::vector<std::string> header(std::begin(kCsvKeys), std::end(kCsvKeys));
  header.emplace_back("details");
  return header;
}

std::vector<std::string> auditCsvRow(const json::Value& item) {
  std::vector<std::string> row;
  for (const auto key : kCsvKeys) row.push_back(field(item, key));
  const json::Value extra = extraDetails(item, kCsvKeys, std::size(kCsvKeys));
  row.push_back(extra.object.empty() ? "" : toJson(extra));
  return row;
}

void printTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size() + 1);
  cells.push_back(header);
  for (const auto& row : rows) {
    std::vector<std::string> clean;
    for (const auto& cell : row) clean.push_back(printable(cell));
    cells.push_back(std::move(clean));
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : cells) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], displayWidth(row[c]));
    }
  }
  for (const auto& row : cells) {
    std::string line;
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - displayWidth(row[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
}

void printObjectsTable(std::ostream& out, const std::vector<json::Value>& items) {
  std::vector<std::string> header;
  for (const auto& item : items) {
    if (item.kind != json::Value::Kind::kObject) continue;
    for (const auto& member : item.object) {
      if (std::find(header.begin(), header.end(), member.first) == header.end()) {
        header.push_back(member.first);
      }
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : items) {
    std::vector<std::string> row;
    for (const auto& key : header) row.push_back(field(item, key));
    rows.push_back(std::move(row));
  }
  printTable(out, header, rows);
}

void printObject(std::ostream& out, const json::Value& object) {
  if (object.kind != json::Value::Kind::kObject) {
    out << printable(toJson(object)) << '\n';
    return;
  }
  size_t width = 0;
  for (const auto& member : object.object) width = std::max(width, displayWidth(member.first));
  for (const auto& member : object.object) {
    out << printable(member.first) << ':'
        << std::string(width - displayWidth(member.first) + 1, ' ')
        << printable(cellText(member.second)) << '\n';
  }
}

std::string groupThousands(uint64_t number) {
  std::string digits = std::to_string(number);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

void printObjectAndList(std::ostream& out, const json::Value& object, std::string_view list_key,
                        std::string_view title, std::string_view none) {
  json::Value head = object;
  head.object.clear();
  std::vector<json::Value> list;
  for (const auto& member : object.object) {
    if (member.first == list_key && member.second.kind == json::Value::Kind::kArray) {
      list = member.second.array;
    } else {
      head.object.push_back(member);
    }
  }
  printObject(out, head);
  out << '\n' << title << ":\n";
  if (list.empty()) {
    out << "  (" << none << ")\n";
  } else {
    printObjectsTable(out, list);
  }
}

}  // namespace vigie::ctl
