#pragma once

#include <optional>
#include <string>

#include "vigie/protocol/event.h"

namespace vigie::session {

// Describes a file written to a watched place as a file.export: extension, size, and for CSV a
// row count and for PDF a page count, when cheap (files up to 64 MiB; the counts are metadata,
// nothing of the content is kept). nullopt for what is not an export: directories, vanished
// files, and the temporary files browsers and editors write before renaming (.crdownload,
// .part, .tmp, names starting with "." or "~$", ending with "~").
std::optional<protocol::FileExport> inspectExport(const std::string& path,
                                                  protocol::PathClass path_class,
                                                  const std::string& writer_process);

}  // namespace vigie::session
