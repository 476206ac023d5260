#pragma once

// The sending half of every import (CRM records, calls, shifts): a file already checked and cut
// into chunks goes, chunk by chunk, as application/x-ndjson POSTs to one route, each answered by
// {"accepted": N, "duplicates": N}.

#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "line_chunks.h"

namespace vigie::ctl {

struct LineUpload {
  std::string file;                // for messages
  std::vector<std::string> route;  // {"v1", "calls"}
  std::string_view noun;           // "records", "calls", "shifts"
  size_t lines = 0;                // in the whole file
  bool progress = false;           // --progress was given
};

// Sends `chunks` in order on the saved session and prints "N accepted, N duplicates (...)". A
// refused chunk stops the import: the message names the file line when the collector named one,
// and says which lines were stored before. Returns the exit code.
int uploadLines(Context& context, const LineUpload& upload, const std::vector<LineChunk>& chunks);

}  // namespace vigie::ctl
