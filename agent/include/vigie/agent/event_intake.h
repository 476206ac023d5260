#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "vigie/agent/event_queue.h"

namespace vigie::agent {

// Group commit: many threads submit events; one committer thread appends everything pending in
// one queue transaction, so a burst costs one fsync instead of one per submission.
// Thread-safe. Destruction commits what is pending, then stops the committer.
class EventIntake {
 public:
  explicit EventIntake(EventQueue& queue, size_t max_events_per_commit = 4096);
  ~EventIntake();
  EventIntake(const EventIntake&) = delete;
  EventIntake& operator=(const EventIntake&) = delete;

  // Blocks until `events` are durably queued (seq filled in) or could not be stored.
  Status submit(std::vector<protocol::Event>& events);

 private:
  struct Submission {
    std::vector<protocol::Event>* events;
    Status status;
    bool done = false;
  };

  void commitLoop();
  void commit(std::vector<Submission*>& batch);

  EventQueue& queue_;
  const size_t max_events_per_commit_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::deque<Submission*> pending_;  // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  std::thread committer_;
};

}  // namespace vigie::agent
