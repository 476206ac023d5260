#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::ctl {

// One CSV cell as RFC 4180 writes it, made safe for spreadsheets: a cell starting with = + - @,
// a tab or a carriage return gets a leading apostrophe so that no spreadsheet runs it as a
// formula; a cell holding a comma, a quote, CR or LF is quoted, its quotes doubled.
std::string csvCell(std::string_view text);

// Writes CSV rows (RFC 4180: comma-separated, CRLF line ends) to a stream it does not own.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}

  void writeRow(const std::vector<std::string>& cells);
  bool ok() const { return static_cast<bool>(out_); }

 private:
  std::ostream& out_;
};

}  // namespace vigie::ctl
