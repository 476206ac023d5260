#pragma once

namespace vigie::platform {

// In the calling thread only: a write to a connection the peer has closed fails (EPIPE) instead
// of killing the process with SIGPIPE. For threads that write to sockets through libraries that
// cannot ask for MSG_NOSIGNAL themselves (OpenSSL's socket BIO). Does nothing where there is no
// such signal.
void ignoreBrokenPipeInThisThread();

}  // namespace vigie::platform
