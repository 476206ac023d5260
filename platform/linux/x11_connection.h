#pragma once

// The X11 connection shared by the desktop watcher's parts: RAII for the connection and replies,
// the atoms they use, property reads bounded in size, and a client's pid through X-Resource.

#include <xcb/xcb.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vigie/protocol/status.h"

namespace vigie::platform::x11 {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
template <typename T>
using Reply = std::unique_ptr<T, FreeDeleter>;

class Connection {
 public:
  // `display` "" = $DISPLAY.
  static StatusOr<std::unique_ptr<Connection>> open(const std::string& display);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  xcb_connection_t* get() const { return connection_; }
  xcb_window_t root() const { return root_; }
  bool broken() const { return xcb_connection_has_error(connection_) != 0; }

  xcb_atom_t atom(std::string_view name);  // interned once, then cached
  std::string atomName(xcb_atom_t atom);   // cached; "" when unknown

  // Raw value of a property, at most `max_bytes` (the rest is cut). type is set to the
  // property's type (XCB_NONE when absent).
  std::string readProperty(xcb_window_t window, xcb_atom_t property, size_t max_bytes,
                           xcb_atom_t* type = nullptr);
  // The pid of the client that created `window`, from X-Resource; 0 when unknown.
  int32_t clientPid(xcb_window_t window);

 private:
  Connection(xcb_connection_t* connection, xcb_window_t root);
  xcb_connection_t* connection_;
  xcb_window_t root_;
  bool has_xres_ = false;
  std::unordered_map<std::string, xcb_atom_t> atoms_;
  std::unordered_map<xcb_atom_t, std::string> names_;
};

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence, and replaces invalid
// UTF-8 by nothing (titles come from other programs: they may be anything).
std::string sanitizedUtf8(std::string_view text, size_t max);

}  // namespace vigie::platform::x11
