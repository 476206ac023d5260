#include "vigie/agent/sensor_server.h"

#include <atomic>

#include "vigie/crypto/uuid_generator.h"
#include "vigie/protocol/json_codec.h"
#include "vigie/protocol/my_data.h"

namespace vigie::agent {
namespace {
using protocol::Event;
}  // namespace

struct SensorServer::Connection {
  platform::LocalStreamPtr stream;
  std::thread thread;
  std::atomic<bool> finished{false};
  std::optional<SensorSession> session;  // GUARDED_BY(mu_): declared by session.logon
};

SensorServer::SensorServer(platform::LocalListenerPtr listener, EventIntake& intake,
                           UserJournal& journal, platform::Clock& clock)
    : listener_(std::move(listener)), intake_(intake), journal_(journal), clock_(clock) {
  acceptor_ = std::thread([this] { acceptLoop(); });
}

SensorServer::~SensorServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  listener_->shutdown();
  acceptor_.join();
  // Joined without the lock: a connection thread that is ending takes it (recordSensorLost).
  std::vector<std::unique_ptr<Connection>> connections;
  {
    std::lock_guard lock(mu_);
    connections.swap(connections_);
  }
  for (auto& connection : connections) connection->stream->shutdown();
  for (auto& connection : connections) connection->thread.join();
}

void SensorServer::acceptLoop() {
  while (true) {
    auto accepted = listener_->accept();
    if (!accepted.isOk()) continue;  // transient accept failure: keep serving
    platform::LocalStreamPtr stream = std::move(accepted).value();
    if (!stream) return;  // shut down
    std::lock_guard lock(mu_);
    if (stopping_) return;
    std::erase_if(connections_, [](const std::unique_ptr<Connection>& connection) {
      if (!connection->finished) return false;
      connection->thread.join();
      return true;
    });
    if (connections_.size() >= kMaxConnections) {
      (void)stream->writeAll("error too many sensor connections\n");
      continue;
    }
    auto connection = std::make_unique<Connection>();
    connection->stream = std::move(stream);
    Connection* raw = connection.get();
    connection->thread = std::thread([this, raw] {
      const std::optional<std::string> open_session = serve(*raw);
      if (open_session) recordSensorLost(*raw, *open_session);
      raw->stream->shutdown();  // the client reads end of input now, not when reaped
      raw->finished = true;
    });
    connections_.push_back(std::move(connection));
  }
}

std::vector<SensorSession> SensorServer::sessions(int64_t lost_since_ms) const {
  std::lock_guard lock(mu_);
  std::vector<SensorSession> sessions;
  for (const auto& connection : connections_) {
    if (connection->session) sessions.push_back(*connection->session);
  }
  for (const SensorSession& lost : lost_) {
    if (lost.lost_ms >= lost_since_ms) sessions.push_back(lost);
  }
  return sessions;
}

void SensorServer::recordSensorLost(Connection& connection, const std::string& session) {
  const int64_t now_ms = clock_.nowUnixMillis();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;  // the service stops: its agent.stop explains the silence
    if (connection.session) {
      SensorSession lost = *connection.session;
      lost.connected = false;
      lost.lost_ms = now_ms;
      lost_.push_back(std::move(lost));
      if (lost_.size() > kMaxLostSessions) lost_.pop_front();
      connection.session.reset();
    }
  }
  Event lost;
  lost.time_ms = now_ms;
  lost.id = crypto::UuidV7Generator().next(lost.time_ms);
  lost.user = connection.stream->peer().user;
  lost.session = session;
  lost.type = protocol::EventType::kAgentGap;
  lost.data = protocol::AgentGap{protocol::GapReason::kSensorLost, {}, 0, 0};
  std::vector<Event> events{std::move(lost)};
  // On failure the queue counts it in its own disk_full gap.
  if (intake_.submit(events).isOk()) journal_.record(events.front());
}

std::string SensorServer::answerRequest(const platform::PeerIdentity& peer,
                                        const std::string& request) {
  if (request != "my_data") return "error unknown request \"" + request + "\"\n";
  // The peer's user as the kernel says: a request cannot name anyone.
  const UserDay day = journal_.today(peer.user);
  std::string out =
      protocol::myDataHeaderLine({peer.user, day.since_ms, day.dropped, day.entries.size()}) + "\n";
  for (const protocol::MyDataEntry& entry : day.entries) {
    out += protocol::myDataEntryLine(entry) + "\n";
  }
  out += std::string(protocol::kMyDataEnd) + "\n";
  return out;
}

void SensorServer::storeAndReply(Connection& connection, std::vector<LineResult>& lines,
                                 std::vector<Event>& events,
                                 std::optional<std::string>& open_session, std::string& replies) {
  const Status stored = intake_.submit(events);
  if (stored.isOk()) {
    for (const Event& event : events) {
      if (event.type == protocol::EventType::kSessionLogon) {
        open_session = event.session;
        std::lock_guard lock(mu_);
        connection.session = SensorSession{event.session, event.user, event.time_ms, true, 0};
      }
      if (event.type == protocol::EventType::kSessionLogoff) {
        open_session.reset();
        std::lock_guard lock(mu_);
        connection.session.reset();
      }
      journal_.record(event);
    }
  }
  for (const LineResult& line : lines) {
    if (!line.reply.empty()) {
      replies += line.reply;
    } else if (stored.isOk()) {
      replies += "ok " + std::to_string(events[line.event_index].seq);
    } else {
      replies += "error not stored: " + stored.toString();
    }
    replies += '\n';
  }
  lines.clear();
  events.clear();
}

std::optional<std::string> SensorServer::serve(Connection& connection) {
  platform::LocalStream& stream = *connection.stream;
  // The session a session sensor declared with session.logon on this connection, until its
  // session.logoff: a connection that ends in between means the sensor was lost.
  std::optional<std::string> open_session;
  const platform::PeerIdentity& peer = stream.peer();
  crypto::UuidV7Generator ids;
  std::string buffer;
  bool discarding = false;  // inside a line that is already too long
  char chunk[16384];
  while (true) {
    auto got = stream.read(chunk, sizeof chunk);
    if (!got.isOk() || *got == 0) return open_session;
    buffer.append(chunk, *got);

    std::vector<LineResult> lines;
    std::vector<Event> events;
    std::string replies;
    size_t start = 0;
    for (size_t newline; (newline = buffer.find('\n', start)) != std::string::npos;
         start = newline + 1) {
      const std::string_view line(buffer.data() + start, newline - start);
      if (discarding) {
        discarding = false;
        lines.push_back(
            {"error event larger than " + std::to_string(protocol::kMaxEventJsonBytes) + " bytes"});
        continue;
      }
      if (line.empty()) continue;
      auto request = protocol::requestOf(line);
      if (!request.isOk()) {
        lines.push_back({"error " + request.status().message()});
        continue;
      }
      if (request->has_value()) {
        // Lines before it are stored first: the answer includes them.
        storeAndReply(connection, lines, events, open_session, replies);
        replies += answerRequest(peer, **request);
        continue;
      }
      auto draft = protocol::draftFromJson(line);
      if (!draft.isOk()) {
        lines.push_back({"error " + draft.status().message()});
        continue;
      }
      if (!protocol::isSensorType(draft->type)) {
        lines.push_back({"error " + std::string(protocol::typeName(draft->type)) +
                         " events come from the agent itself"});
        continue;
      }
      Event event;
      event.time_ms = clock_.nowUnixMillis();
      event.id = ids.next(event.time_ms);
      event.user = peer.user;
      event.session = draft->session;
      event.type = draft->type;
      event.data = std::move(draft->data);
      lines.push_back({"", events.size()});
      events.push_back(std::move(event));
    }
    buffer.erase(0, start);
    if (buffer.size() > protocol::kMaxEventJsonBytes) {
      discarding = true;
      buffer.clear();
    }

    storeAndReply(connection, lines, events, open_session, replies);
    if (!replies.empty() && !stream.writeAll(replies).isOk()) return open_session;
  }
}

}  // namespace vigie::agent
