// KeyStore on Windows: one DPAPI blob per key, sealed to this machine, in a folder that only SYSTEM
// and Administrators may open.

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include <aclapi.h>
#include <sddl.h>
#include <wincrypt.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../../platform/windows/win32.h"
#include "vigie/crypto/key_store.h"
#include "vigie/crypto/random.h"

namespace vigie::crypto {
namespace {

using platform::win32::narrow;
using platform::win32::UniqueHandle;
using platform::win32::widen;
using platform::win32::win32Error;

// Protected (not inherited) DACL: full control for SYSTEM and Administrators, passed on to what the
// folder holds. Machine-scope DPAPI lets any local account unprotect a blob it can read, so this
// DACL is what keeps the keys from ordinary users.
constexpr wchar_t kKeysSddl[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
// The blob of a 32-byte key is a few hundred bytes: a much larger file is not one of ours.
constexpr LONGLONG kMaxBlobSize = 64 * 1024;

struct LocalFreeDeleter {
  void operator()(void* memory) const { LocalFree(memory); }
};
using LocalMemory = std::unique_ptr<void, LocalFreeDeleter>;

// What CryptUnprotectData returns: the plaintext key, wiped before it is freed.
class PlainBlob {
 public:
  PlainBlob() = default;
  ~PlainBlob() {
    if (blob.pbData != nullptr) {
      SecureZeroMemory(blob.pbData, blob.cbData);
      LocalFree(blob.pbData);
    }
  }
  PlainBlob(const PlainBlob&) = delete;
  PlainBlob& operator=(const PlainBlob&) = delete;

  DATA_BLOB blob{};
};

// Mixed into every blob, so that a blob renamed to another key's file does not unprotect.
std::string entropyFor(std::string_view name) { return "vigie-key:" + std::string(name); }

DATA_BLOB blobOf(const void* data, size_t size) {
  // The DPAPI functions take non-const input blobs but do not write to them.
  return DATA_BLOB{static_cast<DWORD>(size), static_cast<BYTE*>(const_cast<void*>(data))};
}

std::string sidString(PSID sid) {
  wchar_t* text = nullptr;
  if (!ConvertSidToStringSidW(sid, &text)) return "an unreadable SID";
  LocalMemory owned(text);
  return narrow(text);
}

bool isSystemOrAdministrators(PSID sid) {
  return IsWellKnownSid(sid, WinLocalSystemSid) || IsWellKnownSid(sid, WinBuiltinAdministratorsSid);
}

bool isProcessUser(PSID sid) {
  HANDLE raw = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return false;
  UniqueHandle token(raw);
  alignas(TOKEN_USER) BYTE buffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
  DWORD size = 0;
  if (!GetTokenInformation(token.get(), TokenUser, buffer, sizeof buffer, &size)) return false;
  return EqualSid(reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid, sid);
}

// Refuses the file or directory open as `handle` unless its owner is SYSTEM, Administrators or the
// account this process runs as, and its DACL allows no one but SYSTEM, Administrators and that
// owner. The Windows counterpart of the owner and mode checks of the POSIX store.
Status checkAccess(HANDLE handle, const std::string& path) {
  PSID owner = nullptr;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR raw = nullptr;
  const DWORD error = GetSecurityInfo(handle, SE_FILE_OBJECT,
                                      OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                      &owner, nullptr, &dacl, nullptr, &raw);
  if (error != ERROR_SUCCESS) return win32Error("cannot read the permissions of " + path, error);
  LocalMemory descriptor(raw);
  if (owner == nullptr || !(isSystemOrAdministrators(owner) || isProcessUser(owner))) {
    const std::string who = owner == nullptr ? "no one" : sidString(owner);
    return Status::permissionDenied(path + " is owned by " + who +
                                    ", not by SYSTEM, Administrators or the service's account; " +
                                    "refusing to use it (fix: icacls \"" + path +
                                    "\" /setowner *S-1-5-32-544)");
  }
  if (dacl == nullptr) {
    return Status::permissionDenied(path +
                                    " has no DACL, so everyone may open it; refusing to use it");
  }
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    if (!GetAce(dacl, i, &ace)) return win32Error("cannot read the DACL of " + path);
    const BYTE type = static_cast<const ACE_HEADER*>(ace)->AceType;
    if (type == ACCESS_DENIED_ACE_TYPE) continue;
    if (type != ACCESS_ALLOWED_ACE_TYPE) {
      return Status::permissionDenied(path + " has an access entry of type " +
                                      std::to_string(type) + " that this check does not read; " +
                                      "refusing to use it");
    }
    PSID sid = &static_cast<ACCESS_ALLOWED_ACE*>(ace)->SidStart;
    if (isSystemOrAdministrators(sid) || EqualSid(sid, owner)) continue;
    const std::string who = sidString(sid);
    return Status::permissionDenied(
        path + " grants access to " + who +
        "; only SYSTEM and Administrators may open the keys, refusing to use it (fix: icacls \"" +
        path + "\" /inheritance:d, then icacls \"" + path + "\" /remove *" + who + ")");
  }
  return Status::ok();
}

// The security attributes that give a new directory or file the keys' DACL.
class KeysSecurity {
 public:
  Status init() {
    PSECURITY_DESCRIPTOR raw = nullptr;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(kKeysSddl, SDDL_REVISION_1, &raw,
                                                              nullptr)) {
      return win32Error("cannot build the key directory's security descriptor");
    }
    descriptor_.reset(raw);
    attributes_ = SECURITY_ATTRIBUTES{sizeof(SECURITY_ATTRIBUTES), raw, FALSE};
    return Status::ok();
  }
  SECURITY_ATTRIBUTES* get() { return &attributes_; }

 private:
  LocalMemory descriptor_;
  SECURITY_ATTRIBUTES attributes_{};
};

class DpapiKeyStore final : public KeyStore {
 public:
  explicit DpapiKeyStore(std::string dir) : dir_(std::move(dir)), wide_dir_(widen(dir_)) {}

  StatusOr<SecretKey> loadOrCreate(std::string_view name) override {
    VIGIE_RETURN_IF_ERROR(checkKeyName(name));
    std::lock_guard lock(mu_);
    VIGIE_RETURN_IF_ERROR(prepareDirectory());
    auto loaded = readKeyFile(name);
    if (loaded.isOk() || loaded.status().code() != Status::Code::kNotFound) return loaded;
    VIGIE_RETURN_IF_ERROR(create(name));
    return readKeyFile(name);
  }

  StatusOr<SecretKey> load(std::string_view name) override {
    VIGIE_RETURN_IF_ERROR(checkKeyName(name));
    std::lock_guard lock(mu_);
    return readKeyFile(name);
  }

 private:
  std::string pathOf(std::string_view name) const {
    return dir_ + "\\" + std::string(name) + ".key";
  }

  Status prepareDirectory() {
    KeysSecurity security;
    VIGIE_RETURN_IF_ERROR(security.init());
    if (!CreateDirectoryW(wide_dir_.c_str(), security.get()) &&
        GetLastError() != ERROR_ALREADY_EXISTS) {
      return win32Error("cannot create key directory " + dir_);
    }
    // The directory itself, not what a junction there points to.
    UniqueHandle dir(
        CreateFileW(wide_dir_.c_str(), READ_CONTROL | FILE_READ_ATTRIBUTES,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                    FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
    if (!dir.valid()) return win32Error("cannot open key directory " + dir_);
    BY_HANDLE_FILE_INFORMATION info{};
    if (!GetFileInformationByHandle(dir.get(), &info)) return win32Error("cannot inspect " + dir_);
    if ((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) == 0 ||
        (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
      return Status::failedPrecondition(dir_ + " is not a directory");
    }
    return checkAccess(dir.get(), dir_);
  }

  StatusOr<SecretKey> readKeyFile(std::string_view name) const {
    const std::string path = pathOf(name);
    // Shared for delete too: a creator that lost the race may be renaming next to this file.
    UniqueHandle file(CreateFileW(widen(path).c_str(), GENERIC_READ | READ_CONTROL,
                                  FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                                  FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
    if (!file.valid()) return win32Error("cannot open key file " + path);
    BY_HANDLE_FILE_INFORMATION info{};
    if (!GetFileInformationByHandle(file.get(), &info)) return win32Error("cannot inspect " + path);
    if ((info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) != 0) {
      return Status::permissionDenied(path + " is not a regular file");
    }
    VIGIE_RETURN_IF_ERROR(checkAccess(file.get(), path));
    LARGE_INTEGER size{};
    if (!GetFileSizeEx(file.get(), &size)) return win32Error("cannot inspect " + path);
    if (size.QuadPart <= 0 || size.QuadPart > kMaxBlobSize) {
      return Status::corruption("key file " + path + " is " + std::to_string(size.QuadPart) +
                                " bytes, not a DPAPI blob of a key; refusing it");
    }
    std::vector<BYTE> sealed(static_cast<size_t>(size.QuadPart));
    DWORD got = 0;
    if (!ReadFile(file.get(), sealed.data(), static_cast<DWORD>(sealed.size()), &got, nullptr) ||
        got != sealed.size()) {
      return win32Error("cannot read " + path);
    }
    return unprotect(sealed, name, path);
  }

  static StatusOr<SecretKey> unprotect(const std::vector<BYTE>& sealed, std::string_view name,
                                       const std::string& path) {
    const std::string entropy = entropyFor(name);
    DATA_BLOB in = blobOf(sealed.data(), sealed.size());
    DATA_BLOB extra = blobOf(entropy.data(), entropy.size());
    PlainBlob plain;
    if (!CryptUnprotectData(&in, nullptr, &extra, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN,
                            &plain.blob)) {
      const Status why = win32Error("CryptUnprotectData");
      return Status::corruption(
          "key file " + path + " does not unprotect as key '" + std::string(name) +
          "' on this machine (" + why.message() +
          "): it was altered, copied from another key's file or from another machine, or is not "
          "a DPAPI blob; refusing it (restore it from a backup of this machine, or remove it to "
          "start a new key: what the old key sealed then stays unreadable)");
    }
    if (plain.blob.cbData != SecretKey::kSize) {
      return Status::corruption("key file " + path + " unprotects to " +
                                std::to_string(plain.blob.cbData) + " bytes, expected " +
                                std::to_string(SecretKey::kSize) + "; refusing it");
    }
    return SecretKey(
        std::span<const uint8_t, SecretKey::kSize>(plain.blob.pbData, SecretKey::kSize));
  }

  // Seals a new key, writes it to a temporary file, flushes it, then moves it into place without
  // replacing: if another process created the key first, its key is the one everyone uses.
  Status create(std::string_view name) {
    auto key = generateKey();
    if (!key.isOk()) return key.status();
    const std::string entropy = entropyFor(name);
    DATA_BLOB in = blobOf(key->bytes().data(), key->bytes().size());
    DATA_BLOB extra = blobOf(entropy.data(), entropy.size());
    DATA_BLOB sealed{};
    if (!CryptProtectData(&in, L"vigie key", &extra, nullptr, nullptr,
                          CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN, &sealed)) {
      return win32Error("cannot seal key '" + std::string(name) + "' with DPAPI");
    }
    LocalMemory owned(sealed.pbData);

    const std::string path = pathOf(name);
    // Unique per process and thread: two store objects on one directory may race too.
    const std::wstring temp = widen(path) + L".tmp-" + std::to_wstring(GetCurrentProcessId()) +
                              L"-" + std::to_wstring(GetCurrentThreadId());
    DeleteFileW(temp.c_str());
    Status status = writeFlushed(temp, sealed, path);
    if (status.isOk() && !MoveFileExW(temp.c_str(), widen(path).c_str(), MOVEFILE_WRITE_THROUGH)) {
      const DWORD error = GetLastError();
      if (error != ERROR_ALREADY_EXISTS && error != ERROR_FILE_EXISTS) {
        status = win32Error("cannot install key file " + path, error);
      }
    }
    DeleteFileW(temp.c_str());
    return status;
  }

  static Status writeFlushed(const std::wstring& temp, const DATA_BLOB& sealed,
                             const std::string& path) {
    KeysSecurity security;
    VIGIE_RETURN_IF_ERROR(security.init());
    UniqueHandle file(CreateFileW(temp.c_str(), GENERIC_WRITE, 0, security.get(), CREATE_NEW,
                                  FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file.valid()) return win32Error("cannot create a temporary file for " + path);
    DWORD written = 0;
    if (!WriteFile(file.get(), sealed.pbData, sealed.cbData, &written, nullptr) ||
        written != sealed.cbData) {
      return win32Error("cannot write a temporary file for " + path);
    }
    if (!FlushFileBuffers(file.get()))
      return win32Error("cannot flush a temporary file for " + path);
    return Status::ok();
  }

  std::mutex mu_;
  const std::string dir_;
  const std::wstring wide_dir_;
};

}  // namespace

KeyStorePtr newDpapiKeyStore(std::string dir) {
  return std::make_unique<DpapiKeyStore>(std::move(dir));
}

}  // namespace vigie::crypto
