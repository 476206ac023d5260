#include "csv_table.h"

#include <algorithm>

#include "csv_reader.h"
#include "vigie/protocol/utf8.h"

namespace vigie::ctl {

std::string CsvNamedRow::cell(std::string_view column) const {
  const auto found = cells.find(column);
  return found == cells.end() ? std::string() : found->second;
}

std::string_view trimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string atLine(size_t line) { return "line " + std::to_string(line) + ": "; }

Status checkCellText(size_t line, std::string_view name, const std::string& value, size_t max) {
  if (value.empty()) return Status::invalidArgument(atLine(line) + "missing " + std::string(name));
  if (value.size() > max) {
    return Status::invalidArgument(atLine(line) + std::string(name) + " is longer than " +
                                   std::to_string(max) + " bytes");
  }
  if (!protocol::isValidUtf8(value)) {
    return Status::invalidArgument(atLine(line) + std::string(name) + " is not valid UTF-8");
  }
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return Status::invalidArgument(atLine(line) + std::string(name) + " holds a control character");
  }
  return Status::ok();
}

StatusOr<std::vector<CsvNamedRow>> readCsvTable(std::string_view text, const CsvColumns& columns) {
  auto rows = readCsv(text);
  if (!rows.isOk()) return rows.status();
  if (rows->empty()) return Status::invalidArgument("line 1: the file is empty (no header)");
  const CsvRow& header = rows->front();
  std::vector<std::string> names;  // the column of each cell
  for (const auto& raw : header.cells) {
    const std::string name(trimBlanks(raw));
    if (std::find(columns.known.begin(), columns.known.end(), name) == columns.known.end()) {
      return Status::invalidArgument(atLine(header.line) + "unknown column '" + name + "'" +
                                     columns.unknown_hint);
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return Status::invalidArgument(atLine(header.line) + "column '" + name + "' appears twice");
    }
    names.push_back(name);
  }
  for (const auto required : columns.required) {
    if (std::find(names.begin(), names.end(), required) == names.end()) {
      return Status::invalidArgument(atLine(header.line) + "missing column '" +
                                     std::string(required) + "'");
    }
  }

  std::vector<CsvNamedRow> table;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    if (row.cells.size() == 1 && trimBlanks(row.cells[0]).empty()) continue;
    if (row.cells.size() != names.size()) {
      return Status::invalidArgument(atLine(row.line) + "expected " + std::to_string(names.size()) +
                                     " cells, got " + std::to_string(row.cells.size()));
    }
    CsvNamedRow named;
    named.line = row.line;
    for (size_t c = 0; c < names.size(); ++c) {
      named.cells.emplace(names[c], std::string(trimBlanks(row.cells[c])));
    }
    table.push_back(std::move(named));
  }
  return table;
}

}  // namespace vigie::ctl
