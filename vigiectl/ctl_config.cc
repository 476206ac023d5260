#include "ctl_config.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "vigie/platform/atomic_file.h"
#include "vigie/platform/posix_error.h"
#include "vigie/protocol/json.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

constexpr size_t kMaxSessionFile = 64 * 1024;

std::string envOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// Creates the missing directories of `dir` with mode 0700; existing ones are left as they are
// (VIGIECTL_CONFIG may point into a shared directory).
Status createMissingDirectories(const std::string& dir) {
  if (dir.empty()) return Status::ok();
  struct stat info {};
  if (::stat(dir.c_str(), &info) == 0) {
    if (!S_ISDIR(info.st_mode)) return Status::failedPrecondition(dir + " is not a directory");
    return Status::ok();
  }
  if (errno != ENOENT) return platform::posixError("cannot examine " + dir, errno);
  const size_t slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    VIGIE_RETURN_IF_ERROR(createMissingDirectories(dir.substr(0, slash)));
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return platform::posixError("cannot create " + dir, errno);
  }
  return Status::ok();
}

std::string parentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

ConfigEnvironment ConfigEnvironment::fromProcess() {
  ConfigEnvironment environment;
  environment.vigiectl_config = envOrEmpty("VIGIECTL_CONFIG");
  environment.xdg_config_home = envOrEmpty("XDG_CONFIG_HOME");
  environment.home = envOrEmpty("HOME");
  if (environment.home.empty()) {
    const passwd* entry = ::getpwuid(::getuid());
    if (entry != nullptr && entry->pw_dir != nullptr) environment.home = entry->pw_dir;
  }
  return environment;
}

StatusOr<std::string> sessionPath(const ConfigEnvironment& environment) {
  if (!environment.vigiectl_config.empty()) return environment.vigiectl_config;
  // The XDG base directory specification ignores relative values.
  if (!environment.xdg_config_home.empty() && environment.xdg_config_home[0] == '/') {
    return environment.xdg_config_home + "/vigie/vigiectl.json";
  }
  if (!environment.home.empty()) return environment.home + "/.config/vigie/vigiectl.json";
  return Status::failedPrecondition(
      "no place for the session file: set VIGIECTL_CONFIG, XDG_CONFIG_HOME or HOME");
}

Status saveSession(const std::string& path, const Session& session) {
  VIGIE_RETURN_IF_ERROR(createMissingDirectories(parentOf(path)));
  std::string text = "{";
  auto add = [&](const char* key, const std::string& value) {
    if (text.size() > 1) text += ",\n ";
    json::appendString(text, key);
    text += ": ";
    json::appendString(text, value);
  };
  add("url", session.url);
  add("ca", session.ca_file);
  add("token", session.token);
  add("user", session.user);
  add("role", session.role);
  add("brand", session.brand);
  add("expires", session.expires);
  text += "}\n";
  return platform::writeFileAtomically(path, text);
}

StatusOr<Session> loadSession(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    return platform::posixError("cannot read the session file " + path, errno);
  }
  if (!S_ISREG(info.st_mode)) {
    return Status::permissionDenied("the session file " + path + " is not a regular file");
  }
  if (info.st_uid != ::geteuid() || (info.st_mode & 077) != 0) {
    return Status::permissionDenied("the session file " + path +
                                    " may be read by other users; remove it and log in again");
  }
  auto text = platform::readSmallFile(path, kMaxSessionFile);
  if (!text.isOk()) return text.status();
  auto document = json::parse(*text);
  if (!document.isOk() || document->kind != json::Value::Kind::kObject) {
    return Status::corruption("the session file " + path + " is damaged; log in again");
  }
  Session session;
  for (const auto& member : document->object) {
    if (member.second.kind != json::Value::Kind::kString) {
      return Status::corruption("the session file " + path + " is damaged; log in again");
    }
    const std::string& value = member.second.string;
    const std::string& key = member.first;
    if (key == "url") {
      session.url = value;
    } else if (key == "ca") {
      session.ca_file = value;
    } else if (key == "token") {
      session.token = value;
    } else if (key == "user") {
      session.user = value;
    } else if (key == "role") {
      session.role = value;
    } else if (key == "brand") {
      session.brand = value;
    } else if (key == "expires") {
      session.expires = value;
    } else {
      return Status::corruption("the session file " + path + " has an unknown key '" + key +
                                "'; log in again");
    }
  }
  if (session.url.empty() || session.ca_file.empty() || session.token.empty()) {
    return Status::corruption("the session file " + path + " is incomplete; log in again");
  }
  return session;
}

Status removeSession(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return platform::posixError("cannot remove " + path, errno);
  }
  return Status::ok();
}

}  // namespace vigie::ctl
