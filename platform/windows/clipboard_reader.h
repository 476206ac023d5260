#pragma once

#include <windows.h>

#include "vigie/platform/desktop_watcher.h"

namespace vigie::platform::win32 {

// What was just copied: the owner (its process and window class), the offered formats and the
// size of the main one, and — for the sensor's in-memory classification only — the text when it
// is at most `max_text_bytes` of UTF-8.
//
// The owner is noted at once; the formats and the text are read on a worker thread, because
// reading them waits for the owner to answer (under wine about half a second, and forever when
// the owner hangs). After `timeout_ms` the change is reported with the owner only and the worker
// is left to finish and discard what it read.
ClipboardChange readClipboard(size_t max_text_bytes, DWORD timeout_ms);

}  // namespace vigie::platform::win32
