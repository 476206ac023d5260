#include "vigie/platform/thread_signals.h"

#include <pthread.h>
#include <signal.h>

namespace vigie::platform {

void ignoreBrokenPipeInThisThread() {
  // Blocked, a SIGPIPE raised by this thread's own write stays pending on this thread and is
  // dropped when it ends; the write returns EPIPE. The rest of the process is unchanged.
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
}

}  // namespace vigie::platform
