#include "csv_reader.h"

namespace vigie::ctl {

StatusOr<std::vector<CsvRow>> readCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string cell;
  size_t line = 1;
  size_t pos = 0;
  row.line = line;
  bool at_cell_start = true;
  bool row_has_text = false;  // a character, a comma or a quoted cell: not a blank line

  auto endRow = [&] {
    row.cells.push_back(std::move(cell));
    cell.clear();
    if (row_has_text) rows.push_back(std::move(row));
    row = CsvRow();
    at_cell_start = true;
    row_has_text = false;
  };

  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"' && at_cell_start) {
      // A quoted cell: up to the closing quote, "" standing for one quote.
      const size_t opened_at = line;
      row_has_text = true;
      at_cell_start = false;
      ++pos;
      while (true) {
        if (pos >= text.size()) {
          return Status::invalidArgument("line " + std::to_string(opened_at) +
                                         ": a quoted cell is never closed");
        }
        if (text[pos] == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            cell += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        if (text[pos] == '\n') ++line;
        cell += text[pos++];
      }
      if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' &&
          text.substr(pos, 2) != "\r\n") {
        return Status::invalidArgument("line " + std::to_string(line) +
                                       ": unexpected text after a closing quote");
      }
      continue;
    }
    if (c == ',') {
      row.cells.push_back(std::move(cell));
      cell.clear();
      row_has_text = true;
      at_cell_start = true;
      ++pos;
    } else if (c == '\n' || text.substr(pos, 2) == "\r\n") {
      pos += c == '\n' ? 1 : 2;
      endRow();
      ++line;
      row.line = line;
    } else if (c == '"') {
      return Status::invalidArgument("line " + std::to_string(line) +
                                     ": a quote inside an unquoted cell (quote the whole cell)");
    } else {
      cell += c;
      row_has_text = true;
      at_cell_start = false;
      ++pos;
    }
  }
  if (row_has_text) endRow();
  return rows;
}

}  // namespace vigie::ctl
