#pragma once

// Where vigiectl keeps its session between commands, and the session itself. The file holds the
// collector URL, the CA file, the Bearer token and the account — never the password — and is
// private to its owner: created 0600 in a 0700 directory, and refused when others may read it.

#include <string>

#include "vigie/protocol/status.h"

namespace vigie::ctl {

struct Session {
  std::string url;      // https://host:port
  std::string ca_file;  // absolute path of the collector CA
  std::string token;
  std::string user;
  std::string role;
  std::string brand;    // empty: not bound to a brand
  std::string expires;  // YYYY-MM-DDTHH:MM:SS.mmmZ, as the server said
};

// The environment variables that place the file, read once by main().
struct ConfigEnvironment {
  std::string vigiectl_config;  // $VIGIECTL_CONFIG: the file itself
  std::string xdg_config_home;  // $XDG_CONFIG_HOME
  std::string home;             // $HOME, else the account's home directory

  static ConfigEnvironment fromProcess();
};

// $VIGIECTL_CONFIG, else $XDG_CONFIG_HOME/vigie/vigiectl.json, else ~/.config/vigie/vigiectl.json.
StatusOr<std::string> sessionPath(const ConfigEnvironment& environment);

// Writes the session atomically (mode 0600), creating missing directories with mode 0700.
Status saveSession(const std::string& path, const Session& session);

// kNotFound when there is no session file. Refuses a file that is not a regular file owned by
// this user with no group or other permissions.
StatusOr<Session> loadSession(const std::string& path);

// Removes the session file; no file is fine.
Status removeSession(const std::string& path);

}  // namespace vigie::ctl
