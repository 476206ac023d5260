#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::ctl {

struct CsvRow {
  size_t line = 0;  // 1-based line of the file where the row starts
  std::vector<std::string> cells;
};

// Reads RFC 4180 CSV (comma-separated; quoted cells may hold commas, quotes doubled, line
// breaks; LF or CRLF line ends; a leading UTF-8 byte order mark is skipped). Blank lines are
// skipped. A malformed quote is an error naming its line.
StatusOr<std::vector<CsvRow>> readCsv(std::string_view text);

}  // namespace vigie::ctl
