#include "socket_recorder.h"

#include <stdexcept>

namespace vigie::testing {

SocketRecorder::SocketRecorder(const std::string& path, std::string upstream)
    : upstream_(std::move(upstream)) {
  auto listener = platform::listenLocal(path, 0666);
  if (!listener.isOk()) throw std::runtime_error(listener.status().toString());
  listener_ = std::move(listener).value();
  acceptor_ = std::thread([this] { acceptLoop(); });
}

SocketRecorder::~SocketRecorder() {
  listener_->shutdown();
  acceptor_.join();
  std::lock_guard lock(mu_);
  stopping_ = true;
  for (auto& stream : streams_) stream->shutdown();
  for (auto& thread : pumps_) thread.join();
}

std::string SocketRecorder::captured() {
  std::lock_guard lock(mu_);
  return captured_;
}

void SocketRecorder::acceptLoop() {
  while (true) {
    auto accepted = listener_->accept();
    if (!accepted.isOk()) continue;
    if (!*accepted) return;
    auto upstream = platform::connectLocal(upstream_);
    if (!upstream.isOk()) continue;  // the client sees its connection close
    std::lock_guard lock(mu_);
    if (stopping_) return;
    platform::LocalStream* client = accepted->get();
    platform::LocalStream* server = upstream->get();
    streams_.push_back(std::move(accepted).value());
    streams_.push_back(std::move(upstream).value());
    pumps_.emplace_back([this, client, server] { pump(*client, *server); });
    pumps_.emplace_back([this, client, server] { pump(*server, *client); });
  }
}

void SocketRecorder::pump(platform::LocalStream& from, platform::LocalStream& to) {
  char chunk[4096];
  while (true) {
    auto got = from.read(chunk, sizeof chunk);
    if (!got.isOk() || *got == 0) break;
    {
      std::lock_guard lock(mu_);
      captured_.append(chunk, *got);
    }
    if (!to.writeAll(std::string_view(chunk, *got)).isOk()) break;
  }
  to.closeWrite();
}

}  // namespace vigie::testing
