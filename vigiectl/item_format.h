#pragma once

// How answers are shown: audit items as a table or CSV rows, other lists as a table of their
// keys, any JSON value as compact JSON. Text from the server reaches a terminal only with its
// control characters replaced, so a crafted name cannot drive the terminal.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/json.h"

namespace vigie::ctl {

// Compact JSON, keys in the order received.
std::string toJson(const protocol::json::Value& value);

// A value as a cell: strings as they are, null as "", lists joined with ",", objects as
// "key=value key=value" (empty values left out).
std::string cellText(const protocol::json::Value& value);

// `text` with every control character (C0, DEL, C1) shown as "?" and invalid UTF-8 replaced.
std::string printable(std::string_view text);

// The columns of the audit questions' table and CSV.
std::vector<std::string> auditTableHeader();  // time source type user host record details
std::vector<std::string> auditTableRow(const protocol::json::Value& item);
std::vector<std::string> auditCsvHeader();  // + team, device, brand; details as JSON
std::vector<std::string> auditCsvRow(const protocol::json::Value& item);

// Left-aligned columns separated by two spaces, every cell made printable. Widths count
// characters, not bytes.
void printTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

// A table whose columns are the keys of the items, in order of first appearance.
void printObjectsTable(std::ostream& out, const std::vector<protocol::json::Value>& items);

// "key: value" lines for one object.
void printObject(std::ostream& out, const protocol::json::Value& object);

// printObject() of every member but the list at `list_key`, then "TITLE:" and that list as a
// table of its keys, or "  (NONE)" when empty or absent.
void printObjectAndList(std::ostream& out, const protocol::json::Value& object,
                        std::string_view list_key, std::string_view title, std::string_view none);

// 12300 -> "12 300".
std::string groupThousands(uint64_t number);

}  // namespace vigie::ctl
