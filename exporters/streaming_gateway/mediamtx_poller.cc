#include "streaming_gateway/mediamtx_poller.h"

#include <algorithm>
#include <set>

namespace vms::streaming_gateway {

using Clock = std::chrono::steady_clock;

namespace {

struct Endpoint {
  enum Kind { kInfo, kPaths, kMuxers, kSessions };
  std::string_view path;
  Kind kind;
  std::string_view protocol;  // kSessions: the key in MediaMtxPoll::sessions
};

constexpr Endpoint kEndpoints[] = {
    {"/v3/info", Endpoint::kInfo, ""},
    {"/v3/paths/list", Endpoint::kPaths, ""},
    {"/v3/hlsmuxers/list", Endpoint::kMuxers, ""},
    {"/v3/rtspsessions/list", Endpoint::kSessions, "rtsp"},
    {"/v3/rtspssessions/list", Endpoint::kSessions, "rtsps"},
    {"/v3/webrtcsessions/list", Endpoint::kSessions, "webrtc"},
    {"/v3/rtmpconns/list", Endpoint::kSessions, "rtmp"},
    {"/v3/rtmpsconns/list", Endpoint::kSessions, "rtmps"},
    {"/v3/srtconns/list", Endpoint::kSessions, "srt"},
};
constexpr std::size_t kEndpointCount = std::size(kEndpoints);

// Keeps the last of the items with the same key: a later page was read later.
template <typename T, typename Key>
void KeepLast(std::vector<T>& items, Key key) {
  std::set<std::string> seen;
  std::vector<T> kept;
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (seen.insert(key(*it)).second) kept.push_back(std::move(*it));
  }
  std::reverse(kept.begin(), kept.end());
  items = std::move(kept);
}

}  // namespace

MediaMtxPoller::MediaMtxPoller(boost::asio::io_context& io, MediaMtxConfig config, Sink sink)
    : io_(io), config_(std::move(config)), sink_(std::move(sink)) {
  for (std::size_t i = 0; i < kEndpointCount; ++i) {
    exchanges_.push_back(std::make_unique<HttpExchange>(io_));
  }
}

MediaMtxPoller::~MediaMtxPoller() { StopExchanges(); }

void MediaMtxPoller::StopExchanges() {
  for (auto& e : exchanges_) e->Abandon();
}

void MediaMtxPoller::Start(Clock::time_point deadline, std::function<void()> done) {
  StopExchanges();
  ++run_;
  running_ = true;
  done_ = std::move(done);
  deadline_ = deadline;
  poll_ = {};
  pending_ = kEndpointCount;
  for (std::size_t i = 0; i < kEndpointCount; ++i) Fetch(i, 0);
}

void MediaMtxPoller::Fetch(std::size_t endpoint, std::size_t page) {
  const Endpoint& e = kEndpoints[endpoint];
  HttpClientRequest request;
  request.url = config_.url + std::string(e.path);
  if (e.kind != Endpoint::kInfo) {
    request.url += "?itemsPerPage=" + std::to_string(config_.items_per_page) +
                   "&page=" + std::to_string(page);
  }
  request.headers = {{"Accept", "application/json"}};
  request.timeout = config_.timeout;
  request.deadline = deadline_;
  if (!config_.username.empty()) {
    request.basic_user = config_.username;
    request.basic_password = config_.password;
  }
  // The exchange never outlives this poller: its destructor abandons a run
  // in flight, dropping this callback.
  exchanges_[endpoint]->Start(std::move(request),
                              [this, run = run_, endpoint, page](HttpClientResult r) {
                                OnAnswer(run, endpoint, page, std::move(r));
                              });
}

void MediaMtxPoller::OnAnswer(std::uint64_t run, std::size_t endpoint, std::size_t page,
                              HttpClientResult r) {
  if (run != run_ || !running_) return;
  const Endpoint& e = kEndpoints[endpoint];
  const std::string what = "GET " + std::string(e.path) +
                           (e.kind == Endpoint::kInfo ? "" : " page " + std::to_string(page));
  if (!r.ok()) return Finish(Status::Error(what + ": " + r.error));
  if (r.status == 404 && page == 0 && e.kind != Endpoint::kPaths) {
    // Not served: that server is off in mediamtx.yml (or v1.0 has no /v3/info).
    if (--pending_ == 0) Finish(std::move(poll_));
    return;
  }
  if (r.status != 200) {
    std::string error = what + ": HTTP " + std::to_string(r.status);
    if (r.status == 401 || r.status == 403) {
      error += config_.username.empty() ? " (MediaMTX asks for credentials: set username and "
                                          "password_file)"
                                        : " (check username and password_file)";
    }
    return Finish(Status::Error(error));
  }
  std::size_t page_count = 1;
  std::string error;
  if (!Take(endpoint, page, r.body, page_count, error)) {
    return Finish(Status::Error(what + ": " + error));
  }
  if (page + 1 < page_count) {
    if (page + 1 >= kMaxPages) {
      return Finish(Status::Error(what + ": more than " + std::to_string(kMaxPages) +
                                  " pages; raise items_per_page"));
    }
    return Fetch(endpoint, page + 1);
  }
  if (--pending_ == 0) Finish(std::move(poll_));
}

bool MediaMtxPoller::Take(std::size_t endpoint, std::size_t page, const std::string& body,
                          std::size_t& page_count, std::string& error) {
  const Endpoint& e = kEndpoints[endpoint];
  const auto take = [&](auto parsed, auto& into) {
    if (!parsed.ok()) {
      error = parsed.error();
      return false;
    }
    // MediaMTX says 0 pages for an empty list; a list that grew while it
    // was read is followed to its new end.
    page_count = std::max(parsed->page_count, page + 1);
    for (auto& item : parsed->items) into.push_back(std::move(item));
    return true;
  };
  switch (e.kind) {
    case Endpoint::kInfo: {
      auto info = ParseMediaMtxInfo(body);
      if (!info.ok()) {
        error = info.error();
        return false;
      }
      poll_.info = std::move(*info);
      return true;
    }
    case Endpoint::kPaths:
      return take(ParseMediaMtxPaths(body), poll_.paths);
    case Endpoint::kMuxers:
      return take(ParseMediaMtxMuxers(body), poll_.hls_muxers);
    case Endpoint::kSessions:
      return take(ParseMediaMtxSessions(body), poll_.sessions[std::string(e.protocol)]);
  }
  return false;
}

void MediaMtxPoller::Finish(Result<MediaMtxPoll> poll) {
  running_ = false;
  StopExchanges();
  if (poll.ok()) {
    KeepLast(poll->paths, [](const MediaMtxPath& p) { return p.name; });
    KeepLast(poll->hls_muxers, [](const MediaMtxMuxer& m) { return m.path + '/' + m.created; });
    for (auto& [protocol, sessions] : poll->sessions) {
      KeepLast(sessions, [](const MediaMtxSession& s) { return s.id; });
    }
  }
  sink_(std::move(poll));
  if (auto done = std::exchange(done_, nullptr)) done();
}

void MediaMtxPoller::Cancel() {
  if (!running_) return;
  if (Clock::now() >= deadline_) {
    return Finish(Status::Error("timed out: not every list came within " +
                                std::to_string(config_.timeout.count()) + " ms"));
  }
  running_ = false;
  StopExchanges();
  if (auto done = std::exchange(done_, nullptr)) done();
}

}  // namespace vms::streaming_gateway
