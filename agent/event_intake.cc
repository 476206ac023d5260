#include "vigie/agent/event_intake.h"

namespace vigie::agent {

EventIntake::EventIntake(EventQueue& queue, size_t max_events_per_commit)
    : queue_(queue),
      max_events_per_commit_(max_events_per_commit),
      committer_([this] { commitLoop(); }) {}

EventIntake::~EventIntake() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  committer_.join();
}

Status EventIntake::submit(std::vector<protocol::Event>& events) {
  if (events.empty()) return Status::ok();
  Submission submission{&events, Status::ok()};
  std::unique_lock lock(mu_);
  if (stopping_) return Status::failedPrecondition("the agent is stopping");
  pending_.push_back(&submission);
  wake_.notify_one();
  done_.wait(lock, [&] { return submission.done; });
  return submission.status;
}

void EventIntake::commitLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, nothing left
    std::vector<Submission*> batch;
    size_t events = 0;
    while (!pending_.empty() &&
           (batch.empty() || events + pending_.front()->events->size() <= max_events_per_commit_)) {
      events += pending_.front()->events->size();
      batch.push_back(pending_.front());
      pending_.pop_front();
    }
    lock.unlock();
    commit(batch);
    lock.lock();
    for (Submission* submission : batch) submission->done = true;
    done_.notify_all();
  }
}

void EventIntake::commit(std::vector<Submission*>& batch) {
  std::vector<protocol::Event> all;
  for (Submission* submission : batch) {
    all.insert(all.end(), std::make_move_iterator(submission->events->begin()),
               std::make_move_iterator(submission->events->end()));
  }
  const Status status = queue_.append(all);
  if (status.code() == Status::Code::kInvalidArgument && batch.size() > 1) {
    // One bad submission must not sink the others: fall back to one transaction each.
    size_t offset = 0;
    for (Submission* submission : batch) {
      auto& events = *submission->events;
      std::move(all.begin() + static_cast<std::ptrdiff_t>(offset),
                all.begin() + static_cast<std::ptrdiff_t>(offset + events.size()), events.begin());
      offset += events.size();
      submission->status = queue_.append(events);
    }
    return;
  }
  size_t offset = 0;
  for (Submission* submission : batch) {
    for (auto& event : *submission->events) event = std::move(all[offset++]);
    submission->status = status;
  }
}

}  // namespace vigie::agent
