#pragma once

#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::platform {

// Replaces `path` with `content` so that a crash leaves either the old or the new file: writes a
// temporary file (`mode`, 0600 by default) beside it, syncs it, renames it over `path`, syncs the
// directory. ENOSPC gives resource exhausted.
Status writeFileAtomically(const std::string& path, std::string_view content,
                           unsigned mode = 0600);

// Renames `from` to `to` (replacing it) and syncs the directory, so the rename survives a crash.
Status renameDurably(const std::string& from, const std::string& to);

// The whole file, refusing files over `max_bytes`. Not found gives a kNotFound status.
StatusOr<std::string> readSmallFile(const std::string& path, size_t max_bytes);

// readSmallFile() without the trailing line ends and spaces: a one-line setting (a URL, an id, a
// secret) as an editor or `echo` leaves it.
StatusOr<std::string> readOneLineFile(const std::string& path, size_t max_bytes);

// Creates `path` empty with mode 0600 if it does not exist; narrows an existing file to 0600.
Status createPrivateFile(const std::string& path);

// Creates `path` and its missing parents; sets `path` itself to mode 0700.
Status createPrivateDirectory(const std::string& path);

}  // namespace vigie::platform
