#include "x11_connection.h"

#include <xcb/res.h>

#include "vigie/protocol/utf8.h"

namespace vigie::platform::x11 {

StatusOr<std::unique_ptr<Connection>> Connection::open(const std::string& display) {
  int screen_number = 0;
  xcb_connection_t* connection =
      xcb_connect(display.empty() ? nullptr : display.c_str(), &screen_number);
  if (xcb_connection_has_error(connection) != 0) {
    xcb_disconnect(connection);
    const char* named = display.empty() ? std::getenv("DISPLAY") : display.c_str();
    return Status::failedPrecondition(std::string("cannot connect to the X display ") +
                                      (named != nullptr ? named : "(DISPLAY is not set)"));
  }
  xcb_screen_iterator_t screens = xcb_setup_roots_iterator(xcb_get_setup(connection));
  for (int i = 0; i < screen_number && screens.rem > 0; ++i) xcb_screen_next(&screens);
  std::unique_ptr<Connection> result(new Connection(connection, screens.data->root));
  const xcb_query_extension_reply_t* xres = xcb_get_extension_data(connection, &xcb_res_id);
  if (xres != nullptr && xres->present != 0) {
    Reply<xcb_res_query_version_reply_t> version(
        xcb_res_query_version_reply(connection, xcb_res_query_version(connection, 1, 2), nullptr));
    result->has_xres_ =
        version != nullptr &&
        (version->server_major > 1 || (version->server_major == 1 && version->server_minor >= 2));
  }
  return result;
}

Connection::Connection(xcb_connection_t* connection, xcb_window_t root)
    : connection_(connection), root_(root) {}

Connection::~Connection() { xcb_disconnect(connection_); }

xcb_atom_t Connection::atom(std::string_view name) {
  const std::string key(name);
  if (auto found = atoms_.find(key); found != atoms_.end()) return found->second;
  Reply<xcb_intern_atom_reply_t> reply(xcb_intern_atom_reply(
      connection_, xcb_intern_atom(connection_, 0, static_cast<uint16_t>(key.size()), key.data()),
      nullptr));
  const xcb_atom_t atom = reply ? reply->atom : xcb_atom_t{XCB_ATOM_NONE};
  atoms_.emplace(key, atom);
  if (atom != XCB_ATOM_NONE) names_.emplace(atom, key);
  return atom;
}

std::string Connection::atomName(xcb_atom_t atom) {
  if (auto found = names_.find(atom); found != names_.end()) return found->second;
  Reply<xcb_get_atom_name_reply_t> reply(
      xcb_get_atom_name_reply(connection_, xcb_get_atom_name(connection_, atom), nullptr));
  std::string name;
  if (reply) {
    name.assign(xcb_get_atom_name_name(reply.get()),
                static_cast<size_t>(xcb_get_atom_name_name_length(reply.get())));
  }
  names_.emplace(atom, name);
  return name;
}

std::string Connection::readProperty(xcb_window_t window, xcb_atom_t property, size_t max_bytes,
                                     xcb_atom_t* type) {
  const uint32_t words = static_cast<uint32_t>((max_bytes + 3) / 4);
  Reply<xcb_get_property_reply_t> reply(xcb_get_property_reply(
      connection_,
      xcb_get_property(connection_, 0, window, property, XCB_GET_PROPERTY_TYPE_ANY, 0, words),
      nullptr));
  if (type != nullptr) *type = reply ? reply->type : XCB_NONE;
  if (!reply) return {};
  const int length = xcb_get_property_value_length(reply.get());
  const auto* value = static_cast<const char*>(xcb_get_property_value(reply.get()));
  std::string out(value, std::min(static_cast<size_t>(length), max_bytes));
  return out;
}

int32_t Connection::clientPid(xcb_window_t window) {
  if (!has_xres_) return 0;
  xcb_res_client_id_spec_t spec{window, XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID};
  Reply<xcb_res_query_client_ids_reply_t> reply(xcb_res_query_client_ids_reply(
      connection_, xcb_res_query_client_ids(connection_, 1, &spec), nullptr));
  if (!reply) return 0;
  for (xcb_res_client_id_value_iterator_t it = xcb_res_query_client_ids_ids_iterator(reply.get());
       it.rem > 0; xcb_res_client_id_value_next(&it)) {
    if ((it.data->spec.mask & XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID) != 0 &&
        xcb_res_client_id_value_value_length(it.data) >= 1) {
      return static_cast<int32_t>(*xcb_res_client_id_value_value(it.data));
    }
  }
  return 0;
}

std::string sanitizedUtf8(std::string_view text, size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max));
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80           ? 1
                    : (lead >> 5) == 0x6  ? 2
                    : (lead >> 4) == 0xE  ? 3
                    : (lead >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > text.size() || !protocol::isValidUtf8(text.substr(i, length))) {
      ++i;  // not a valid sequence: dropped
      continue;
    }
    if (out.size() + length > max) break;
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace vigie::platform::x11
