// Local streams on Windows: named pipes (\\.\pipe\NAME). The server creates the first instance
// (so no other process can squat the name), refuses remote clients, and lets only authenticated
// local accounts connect. It learns who connected from the OS: the client's process id
// (GetNamedPipeClientProcessId) and its account, read from the client's token while
// impersonating it — never from what the client sends.

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include <sddl.h>

#include <atomic>

#include "vigie/platform/local_socket.h"
#include "win32.h"

namespace vigie::platform {
namespace {

using win32::UniqueHandle;
using win32::win32Error;

constexpr DWORD kBufferBytes = 64 * 1024;
// Authenticated users may read and write; SYSTEM and administrators have full control.
constexpr wchar_t kPipeSecurity[] = L"D:(A;;GRGW;;;AU)(A;;GA;;;SY)(A;;GA;;;BA)";

Status checkPipeName(const std::string& path) {
  constexpr std::string_view kPrefix = R"(\\.\pipe\)";
  if (!path.starts_with(kPrefix) || path.size() == kPrefix.size() || path.size() > 256) {
    return Status::invalidArgument(R"(a local address on Windows is a pipe name \\.\pipe\NAME: )" +
                                   path);
  }
  return Status::ok();
}

// Waits for an overlapped operation on `handle` or for `stop`; false when stopped (the operation
// is then cancelled).
bool waitOrStop(HANDLE handle, OVERLAPPED& overlapped, HANDLE stop) {
  const HANDLE events[2] = {overlapped.hEvent, stop};
  if (WaitForMultipleObjects(2, events, FALSE, INFINITE) == WAIT_OBJECT_0) return true;
  CancelIoEx(handle, &overlapped);
  DWORD ignored = 0;
  GetOverlappedResult(handle, &overlapped, &ignored, TRUE);
  return false;
}

// The account of the token's user: its name (DOMAIN\user) and its relative id.
StatusOr<PeerIdentity> accountOfToken(HANDLE token) {
  alignas(TOKEN_USER) unsigned char buffer[SECURITY_MAX_SID_SIZE + sizeof(TOKEN_USER)];
  DWORD size = 0;
  if (!GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &size)) {
    return win32Error("read the client's token");
  }
  const PSID sid = reinterpret_cast<const TOKEN_USER*>(buffer)->User.Sid;
  PeerIdentity peer;
  const UCHAR parts = *GetSidSubAuthorityCount(sid);
  peer.uid = parts > 0 ? static_cast<uint32_t>(*GetSidSubAuthority(sid, parts - 1u)) : 0;
  wchar_t name[256];
  wchar_t domain[256];
  DWORD name_size = 256;
  DWORD domain_size = 256;
  SID_NAME_USE use{};
  if (LookupAccountSidW(nullptr, sid, name, &name_size, domain, &domain_size, &use)) {
    const std::string domain_text = win32::narrow(std::wstring_view(domain, domain_size));
    peer.user = (domain_text.empty() ? "" : domain_text + "\\") +
                win32::narrow(std::wstring_view(name, name_size));
  } else {
    wchar_t* text = nullptr;
    if (ConvertSidToStringSidW(sid, &text)) {
      peer.user = win32::narrow(text);
      LocalFree(text);
    }
  }
  return peer;
}

// The client's account, read from its token while impersonating it. Windows allows that only
// once the client has written to the pipe and the server has read it.
StatusOr<PeerIdentity> clientAccount(HANDLE pipe) {
  if (!ImpersonateNamedPipeClient(pipe)) return win32Error("impersonate the pipe's client");
  HANDLE raw_token = nullptr;
  const BOOL opened = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &raw_token);
  const DWORD open_error = GetLastError();
  RevertToSelf();
  if (!opened) return win32Error("open the pipe client's token", open_error);
  UniqueHandle token(raw_token);
  return accountOfToken(token.get());
}

class PipeStream final : public LocalStream {
 public:
  // A server's stream knows its client's pid; the account is read at the first read().
  PipeStream(UniqueHandle pipe, PeerIdentity peer, bool server)
      : pipe_(std::move(pipe)),
        peer_(std::move(peer)),
        server_(server),
        identified_(!server),
        stop_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
        read_done_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
        write_done_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}

  StatusOr<size_t> read(char* buffer, size_t size) override {
    OVERLAPPED overlapped{};
    overlapped.hEvent = read_done_.get();
    DWORD got = 0;
    const DWORD wanted = static_cast<DWORD>(std::min<size_t>(size, kBufferBytes));
    if (!ReadFile(pipe_.get(), buffer, wanted, nullptr, &overlapped)) {
      const DWORD error = GetLastError();
      if (error == ERROR_BROKEN_PIPE || error == ERROR_PIPE_NOT_CONNECTED) return size_t{0};
      if (error != ERROR_IO_PENDING) return win32Error("read from pipe", error);
      if (!waitOrStop(pipe_.get(), overlapped, stop_.get())) return size_t{0};
    }
    if (!GetOverlappedResult(pipe_.get(), &overlapped, &got, FALSE)) {
      const DWORD error = GetLastError();
      if (error == ERROR_BROKEN_PIPE || error == ERROR_PIPE_NOT_CONNECTED ||
          error == ERROR_OPERATION_ABORTED) {
        return size_t{0};
      }
      if (error != ERROR_MORE_DATA) return win32Error("read from pipe", error);
    }
    if (got > 0 && !identified_) {
      // Nothing a client sent is handed over before the OS has said who the client is.
      auto account = clientAccount(pipe_.get());
      if (!account.isOk()) {
        return Status::permissionDenied("the pipe's client could not be identified: " +
                                        account.status().message());
      }
      peer_.uid = account->uid;
      peer_.user = std::move(account->user);
      identified_ = true;
    }
    return static_cast<size_t>(got);
  }

  Status writeAll(std::string_view data) override {
    while (!data.empty()) {
      OVERLAPPED overlapped{};
      overlapped.hEvent = write_done_.get();
      const DWORD piece = static_cast<DWORD>(std::min<size_t>(data.size(), kBufferBytes));
      if (!WriteFile(pipe_.get(), data.data(), piece, nullptr, &overlapped)) {
        const DWORD error = GetLastError();
        if (error != ERROR_IO_PENDING) return win32Error("write to pipe", error);
        if (!waitOrStop(pipe_.get(), overlapped, stop_.get())) {
          return Status::ioError("write to pipe: the stream was shut down");
        }
      }
      DWORD sent = 0;
      if (!GetOverlappedResult(pipe_.get(), &overlapped, &sent, FALSE)) {
        return win32Error("write to pipe");
      }
      data.remove_prefix(sent);
    }
    return Status::ok();
  }

  const PeerIdentity& peer() const override { return peer_; }

  // A pipe has no half-close: wait until the peer has read what was written; the peer reads end
  // of input when this end is closed.
  void closeWrite() override { FlushFileBuffers(pipe_.get()); }

  void shutdown() override {
    SetEvent(stop_.get());
    if (server_) DisconnectNamedPipe(pipe_.get());
  }

 private:
  UniqueHandle pipe_;
  PeerIdentity peer_;
  const bool server_;
  bool identified_;
  UniqueHandle stop_;
  UniqueHandle read_done_;
  UniqueHandle write_done_;
};

class PipeListener final : public LocalListener {
 public:
  PipeListener(std::wstring name, PSECURITY_DESCRIPTOR security)
      : name_(std::move(name)),
        security_(security),
        stop_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
        connected_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}
  ~PipeListener() override { LocalFree(security_); }

  // The first instance, created before listenLocal() returns so that the name is ours.
  Status createInstance(bool first) {
    SECURITY_ATTRIBUTES attributes{sizeof attributes, security_, FALSE};
    next_.reset();
    next_ = UniqueHandle(CreateNamedPipeW(
        name_.c_str(),
        PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0u),
        PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
        PIPE_UNLIMITED_INSTANCES, kBufferBytes, kBufferBytes, 0, &attributes));
    if (!next_.valid()) return win32Error("create pipe " + win32::narrow(name_));
    return Status::ok();
  }

  StatusOr<LocalStreamPtr> accept() override {
    while (!stopped_) {
      if (!next_.valid()) {
        if (Status created = createInstance(false); !created.isOk()) return created;
      }
      OVERLAPPED overlapped{};
      overlapped.hEvent = connected_.get();
      ResetEvent(connected_.get());
      if (!ConnectNamedPipe(next_.get(), &overlapped)) {
        const DWORD error = GetLastError();
        if (error == ERROR_IO_PENDING) {
          if (!waitOrStop(next_.get(), overlapped, stop_.get())) break;
          DWORD ignored = 0;
          if (!GetOverlappedResult(next_.get(), &overlapped, &ignored, FALSE)) {
            next_.reset();  // the client went away before being served
            continue;
          }
        } else if (error != ERROR_PIPE_CONNECTED) {
          next_.reset();
          if (error == ERROR_NO_DATA) continue;  // connected and already closed
          return win32Error("wait for a client on " + win32::narrow(name_), error);
        }
      }
      UniqueHandle pipe = std::move(next_);
      ULONG pid = 0;
      if (!GetNamedPipeClientProcessId(pipe.get(), &pid)) {
        DisconnectNamedPipe(pipe.get());
        continue;  // a client whose process cannot be named is not served
      }
      PeerIdentity client;
      client.pid = static_cast<int32_t>(pid);
      return LocalStreamPtr(new PipeStream(std::move(pipe), std::move(client), true));
    }
    return LocalStreamPtr();
  }

  void shutdown() override {
    stopped_ = true;
    SetEvent(stop_.get());
  }

 private:
  const std::wstring name_;
  PSECURITY_DESCRIPTOR security_;
  UniqueHandle stop_;
  UniqueHandle connected_;
  UniqueHandle next_;
  std::atomic<bool> stopped_ = false;
};

}  // namespace

// `mode` has no meaning for a pipe: who may connect is the pipe's security descriptor.
StatusOr<LocalListenerPtr> listenLocal(const std::string& path, unsigned /*mode*/) {
  VIGIE_RETURN_IF_ERROR(checkPipeName(path));
  PSECURITY_DESCRIPTOR security = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(kPipeSecurity, SDDL_REVISION_1,
                                                            &security, nullptr)) {
    return win32Error("pipe security descriptor");
  }
  // FILE_FLAG_FIRST_PIPE_INSTANCE refuses a name another server holds; wine does not enforce
  // it, so ask first whether any server answers to the name.
  const std::wstring name = win32::widen(path);
  if (WaitNamedPipeW(name.c_str(), 1) || GetLastError() != ERROR_FILE_NOT_FOUND) {
    LocalFree(security);
    return Status::failedPrecondition("pipe " + path + " is already served by another process");
  }
  auto listener = std::make_unique<PipeListener>(name, security);
  if (Status created = listener->createInstance(true); !created.isOk()) return created;
  return LocalListenerPtr(std::move(listener));
}

StatusOr<LocalStreamPtr> connectLocal(const std::string& path) {
  VIGIE_RETURN_IF_ERROR(checkPipeName(path));
  const std::wstring name = win32::widen(path);
  UniqueHandle pipe;
  for (int attempt = 0; attempt < 2; ++attempt) {
    // SECURITY_IDENTIFICATION: the server may read our token, not act as us.
    pipe = UniqueHandle(CreateFileW(
        name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
        FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr));
    if (pipe.valid()) break;
    const DWORD error = GetLastError();
    // Every instance busy: wait briefly for the server to open the next one.
    if (error != ERROR_PIPE_BUSY || !WaitNamedPipeW(name.c_str(), 2000)) {
      return win32Error("connect to " + path, error);
    }
  }
  if (!pipe.valid()) return win32Error("connect to " + path);
  PeerIdentity server;
  ULONG pid = 0;
  if (GetNamedPipeServerProcessId(pipe.get(), &pid)) server.pid = static_cast<int32_t>(pid);
  return LocalStreamPtr(new PipeStream(std::move(pipe), std::move(server), false));
}

}  // namespace vigie::platform
