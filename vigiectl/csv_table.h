#pragma once

// A CSV file whose header row names its columns, each one of a fixed set: the shape of every file
// vigiectl imports (CRM audit records, calls, shifts). Columns may come in any order; cells are
// trimmed of spaces and tabs.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::ctl {

struct CsvColumns {
  std::vector<std::string_view> known;     // the columns a file may have
  std::vector<std::string_view> required;  // those it must have
  // Added to "line 1: unknown column 'X'" (e.g. ": only a, b and c are accepted").
  std::string unknown_hint;
};

struct CsvNamedRow {
  size_t line = 0;                                        // where the row starts in the file
  std::map<std::string, std::string, std::less<>> cells;  // by column name, trimmed

  // The cell of `column`, or "" when the file has no such column.
  std::string cell(std::string_view column) const;
};

// The data rows of `text`. Refused, naming the line: an unknown, repeated or missing column, a
// row with another number of cells than the header, malformed quoting. Blank rows are skipped.
StatusOr<std::vector<CsvNamedRow>> readCsvTable(std::string_view text, const CsvColumns& columns);

// `text` without leading and trailing spaces and tabs.
std::string_view trimBlanks(std::string_view text);

// "line N: " for messages.
std::string atLine(size_t line);

// A text cell: not empty, at most `max` bytes of UTF-8 without control characters; the error
// names the line and the column.
Status checkCellText(size_t line, std::string_view name, const std::string& value, size_t max);

}  // namespace vigie::ctl
