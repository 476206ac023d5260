#pragma once

#include <windows.h>

#include "vigie/platform/desktop_watcher.h"

namespace vigie::platform::win32 {

// What was just copied: the owner (its process and window class), the offered formats and the
// size of the main one, and — for the sensor's in-memory classification only — the text when it
// is at most `max_text_bytes` of UTF-8. `window` opens the clipboard. Under wine, opening it can
// wait until the owner returns to its message loop (about half a second).
ClipboardChange readClipboard(HWND window, size_t max_text_bytes);

}  // namespace vigie::platform::win32
