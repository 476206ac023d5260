#include "policy_source.h"

#include <filesystem>
#include <set>

namespace vigie::session {

StatusOr<SessionPolicy> PolicySource::load(const UserDirectories& user,
                                           std::string& loaded_from) const {
  Status last = Status::notFound("policy: no policy file given");
  for (const std::string& candidate : candidates_) {
    auto policy = loadSessionPolicy(candidate, user);
    if (policy.isOk()) {
      loaded_from = candidate;
      return policy;
    }
    last = policy.status();
    // A candidate that exists but does not parse is an error, not a reason to fall back.
    if (last.code() != Status::Code::kNotFound) return last;
  }
  return last;
}

std::vector<platform::WatchedDirectory> PolicySource::directories() const {
  std::set<std::string> seen;
  std::vector<platform::WatchedDirectory> out;
  for (const std::string& candidate : candidates_) {
    const std::string dir = std::filesystem::path(candidate).parent_path().string();
    std::error_code error;
    if (dir.empty() || !std::filesystem::is_directory(dir, error)) continue;
    if (seen.insert(dir).second) out.push_back({dir, false});
  }
  return out;
}

bool PolicySource::isCandidate(const std::string& path) const {
  for (const std::string& candidate : candidates_) {
    if (candidate == path) return true;
  }
  return false;
}

void PolicyChangeListener::onFileWritten(const platform::FileWritten& file) {
  if (file.place < first_policy_place_) {
    sensor_.onFileWritten(file);
    return;
  }
  if (!source_.isCandidate(file.path)) return;
  changed_ = true;
  watcher_.stop();
}

}  // namespace vigie::session
