// KeyStore on a POSIX file system: one 0600 file per key, owned by the service's user.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <mutex>

#include "vigie/crypto/key_store.h"
#include "vigie/crypto/random.h"
#include "vigie/platform/posix_error.h"

namespace vigie::crypto {
namespace {

using platform::posixError;
using platform::UniqueFd;

std::string octalMode(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

Status checkOwnership(const std::string& path, const struct stat& st, bool is_dir) {
  const uid_t euid = ::geteuid();
  if (st.st_uid != euid) {
    return Status::permissionDenied(path + " is owned by uid " + std::to_string(st.st_uid) +
                                    ", not by the service's uid " + std::to_string(euid) +
                                    "; refusing to use it (fix: chown " + std::to_string(euid) +
                                    " " + path + ")");
  }
  const mode_t forbidden = is_dir ? (S_IWGRP | S_IWOTH) : (S_IRWXG | S_IRWXO);
  if ((st.st_mode & forbidden) != 0) {
    return Status::permissionDenied(path + " has mode " + octalMode(st.st_mode) +
                                    ", open to other users; refusing to use it (fix: chmod " +
                                    (is_dir ? "700 " : "600 ") + path + ")");
  }
  return Status::ok();
}

class FileKeyStore final : public KeyStore {
 public:
  explicit FileKeyStore(std::string dir) : dir_(std::move(dir)) {}

  StatusOr<SecretKey> loadOrCreate(std::string_view name) override {
    VIGIE_RETURN_IF_ERROR(checkKeyName(name));
    std::lock_guard lock(mu_);
    VIGIE_RETURN_IF_ERROR(prepareDirectory());
    const std::string path = dir_ + "/" + std::string(name) + ".key";
    auto loaded = readKeyFile(path);
    if (loaded.isOk() || loaded.status().code() != Status::Code::kNotFound) return loaded;
    VIGIE_RETURN_IF_ERROR(create(path));
    return readKeyFile(path);
  }

  StatusOr<SecretKey> load(std::string_view name) override {
    VIGIE_RETURN_IF_ERROR(checkKeyName(name));
    std::lock_guard lock(mu_);
    return readKeyFile(dir_ + "/" + std::string(name) + ".key");
  }

 private:
  Status prepareDirectory() {
    if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
      return posixError("cannot create key directory " + dir_, errno);
    }
    struct stat st {};
    if (::stat(dir_.c_str(), &st) != 0) return posixError("cannot inspect " + dir_, errno);
    if (!S_ISDIR(st.st_mode)) return Status::failedPrecondition(dir_ + " is not a directory");
    return checkOwnership(dir_, st, /*is_dir=*/true);
  }

  static StatusOr<SecretKey> readKeyFile(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno == ENOENT) return Status::notFound(path);
      return posixError("cannot open key file " + path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return posixError("cannot inspect " + path, errno);
    if (!S_ISREG(st.st_mode)) return Status::permissionDenied(path + " is not a regular file");
    VIGIE_RETURN_IF_ERROR(checkOwnership(path, st, /*is_dir=*/false));
    if (st.st_size != static_cast<off_t>(SecretKey::kSize)) {
      return Status::corruption("key file " + path + " is " + std::to_string(st.st_size) +
                                " bytes, expected " + std::to_string(SecretKey::kSize));
    }
    std::array<uint8_t, SecretKey::kSize> bytes{};
    const ssize_t got = ::pread(fd.get(), bytes.data(), bytes.size(), 0);
    if (got != static_cast<ssize_t>(bytes.size())) return posixError("cannot read " + path, errno);
    SecretKey key(bytes);
    std::fill(bytes.begin(), bytes.end(), uint8_t{0});
    return key;
  }

  // Writes a new key to a temporary file, syncs it, then links it into place: link() fails if
  // another process created the key first, and then that key is the one everyone uses.
  Status create(const std::string& path) {
    auto key = generateKey();
    if (!key.isOk()) return key.status();
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    ::unlink(temp.c_str());
    Status status = writeSynced(temp, key->bytes());
    if (status.isOk() && ::link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
      status = posixError("cannot install key file " + path, errno);
    }
    ::unlink(temp.c_str());
    if (status.isOk()) status = syncDirectory();
    return status;
  }

  static Status writeSynced(const std::string& path, std::span<const uint8_t> bytes) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) return posixError("cannot create " + path, errno);
    if (::write(fd.get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
      return posixError("cannot write " + path, errno);
    }
    if (::fsync(fd.get()) != 0) return posixError("cannot sync " + path, errno);
    return Status::ok();
  }

  Status syncDirectory() {
    UniqueFd fd(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) return posixError("cannot sync " + dir_, errno);
    return Status::ok();
  }

  std::mutex mu_;
  const std::string dir_;
};

}  // namespace

KeyStorePtr newFileKeyStore(std::string dir) {
  return std::make_unique<FileKeyStore>(std::move(dir));
}

}  // namespace vigie::crypto
