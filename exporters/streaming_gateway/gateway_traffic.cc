#include "streaming_gateway/gateway_traffic.h"

#include <algorithm>

#include "streaming_gateway/shared_help.h"
#include "vms/config/camera_id.h"

namespace vms::streaming_gateway {
namespace {

constexpr std::string_view kSource = "access_log";
// What the exporters' HTTP client sends (HttpClientRequest::user_agent).
constexpr std::string_view kOwnUserAgent = "vms-exporters";

// Clients are remembered this long at least, whatever the window: a target
// duration of up to a minute (3 minutes of window) is covered.
constexpr double kMinMemorySeconds = 180;

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char a = s[s.size() - suffix.size() + i];
    const char lower = a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a;
    if (lower != suffix[i]) return false;
  }
  return true;
}

bool Viewing(int status) { return status == 200 || status == 206 || status == 304; }

}  // namespace

RequestKind ClassifyRequest(std::string_view method, std::string_view path) {
  if (method == "POST" && EndsWithNoCase(path, "/whep")) return RequestKind::kWhep;
  if (EndsWithNoCase(path, ".m3u8")) return RequestKind::kPlaylist;
  for (std::string_view ext : {".ts", ".m4s", ".mp4", ".m4a", ".m4v", ".aac", ".vtt"}) {
    if (EndsWithNoCase(path, ext)) return RequestKind::kSegment;
  }
  return RequestKind::kOther;
}

void GatewayTraffic::Configure(std::vector<std::string> configured_camera_ids,
                               TrafficLimits limits) {
  std::lock_guard lock(mu_);
  configured_ = std::set<std::string, std::less<>>(configured_camera_ids.begin(),
                                                   configured_camera_ids.end());
  limits_ = limits;
  for (const auto& id : configured_) cameras_.try_emplace(id);
  // A camera no longer configured and never seen in the traffic goes; one
  // seen keeps its counters.
  std::erase_if(cameras_, [&](const auto& kv) {
    if (configured_.contains(kv.first)) return false;
    const Camera& c = kv.second;
    return c.playlist_requests.empty() && c.segment_requests.empty() && c.whep_attempts == 0 &&
           c.clients.empty();
  });
}

GatewayTraffic::Camera* GatewayTraffic::Admit(std::string_view id) {
  if (auto it = cameras_.find(id); it != cameras_.end()) return &it->second;
  if (!IsCameraId(id)) {
    ++invalid_camera_ids_;
    return nullptr;
  }
  if (!cap_->Admit(id, kSource)) return nullptr;
  return &cameras_.emplace(std::string(id), Camera{}).first->second;
}

void GatewayTraffic::SetAccessLogs(bool configured) {
  std::lock_guard lock(mu_);
  access_logs_ = configured;
}

void GatewayTraffic::AddRecords(const std::regex& camera_id,
                                std::span<const AccessRecord> records) {
  std::string identity;
  std::lock_guard lock(mu_);
  for (const AccessRecord& r : records) {
    const RequestKind kind = ClassifyRequest(r.method, r.path);
    if (kind == RequestKind::kOther) continue;
    // The exporter's own polls of the playlists it watches over HTTP are not
    // viewers, nor their traffic.
    if (r.user_agent.starts_with(kOwnUserAgent)) continue;
    std::smatch m;
    if (!std::regex_search(r.path, m, camera_id) || m.size() < 2 || !m[1].matched) continue;
    Camera* c = Admit(std::string_view(r.path).substr(static_cast<std::size_t>(m.position(1)),
                                                      static_cast<std::size_t>(m.length(1))));
    if (c == nullptr) continue;
    newest_ = std::max(newest_, r.time);
    if (kind == RequestKind::kWhep) {
      ++c->whep_attempts;
      if (r.status >= 400) ++c->whep_failures;
      continue;
    }
    ++(kind == RequestKind::kPlaylist ? c->playlist_requests : c->segment_requests)[r.status];
    c->hls_bytes += r.bytes_sent.value_or(r.body_bytes_sent);
    if (!Viewing(r.status)) continue;
    identity.clear();
    if (r.session_id && !r.session_id->empty()) {
      identity.append("s").push_back('\0');
      identity += *r.session_id;
    } else {
      identity.append("a").push_back('\0');
      identity += r.remote_addr;
      identity.push_back('\0');
      identity += r.user_agent;
    }
    const std::uint64_t client = SipHash24(key_, identity);
    auto it = c->clients.find(client);
    if (it != c->clients.end()) {
      it->second = std::max(it->second, r.time);
      continue;
    }
    // Full: forget the clients gone quiet, at most once a second of log
    // time. Forgetting walks every client, and doing it for each new one
    // while the cap holds would be quadratic (and hold the lock a scrape
    // waits on).
    if (clients_ >= limits_.clients && newest_ - forgotten_at_ >= 1.0) Forget(newest_);
    if (clients_ >= limits_.clients) {
      ++clients_dropped_;
      continue;
    }
    c->clients.emplace(client, r.time);
    ++clients_;
  }
}

void GatewayTraffic::Forget(double now) {
  forgotten_at_ = now;
  const double keep = std::max(kMinMemorySeconds,
                               3.0 * std::chrono::duration<double>(limits_.viewer_window).count());
  for (auto& [id, c] : cameras_) {
    clients_ -= std::erase_if(c.clients, [&](const auto& kv) { return kv.second < now - keep; });
  }
}

double GatewayTraffic::Window(const std::string& id, const TargetDuration& target) const {
  if (target) {
    if (auto t = target(id); t && *t > 0) return 3 * *t;
  }
  return std::chrono::duration<double>(limits_.viewer_window).count();
}

std::uint64_t GatewayTraffic::CountViewers(const Camera& c, double since) const {
  return static_cast<std::uint64_t>(std::count_if(
      c.clients.begin(), c.clients.end(), [&](const auto& kv) { return kv.second >= since; }));
}

std::optional<std::uint64_t> GatewayTraffic::HlsViewers(const std::string& camera_id, double now,
                                                        const TargetDuration& target) const {
  std::lock_guard lock(mu_);
  if (!access_logs_) return std::nullopt;
  auto it = cameras_.find(camera_id);
  if (it == cameras_.end()) return std::nullopt;
  return CountViewers(it->second, now - Window(camera_id, target));
}

void GatewayTraffic::Write(MetricWriter& out, double now, const TargetDuration& target) {
  std::lock_guard lock(mu_);
  Forget(now);
  using L = std::initializer_list<Label>;
  auto playlists = out.Counter("hls_playlist_requests_total",
                               "HLS playlist requests in the access logs, by camera and status.");
  auto segments = out.Counter("hls_segment_requests_total",
                              "HLS segment (and LL-HLS part) requests in the access logs, by "
                              "camera and status.");
  for (const auto& [id, c] : cameras_) {
    for (const auto& [code, n] : c.playlist_requests) {
      playlists.Add(L{{"camera_id", id}, {"code", std::to_string(code)}}, static_cast<double>(n));
    }
    for (const auto& [code, n] : c.segment_requests) {
      segments.Add(L{{"camera_id", id}, {"code", std::to_string(code)}}, static_cast<double>(n));
    }
  }

  auto viewers = out.Gauge("stream_viewers", kStreamViewersHelp);
  auto bytes = out.Counter("stream_bytes_sent_total", kStreamBytesSentHelp);
  auto attempts = out.Counter("webrtc_connection_attempts_total", kWebrtcAttemptsHelp);
  auto failures = out.Counter("webrtc_connection_failures_total", kWebrtcFailuresHelp);
  for (const auto& [id, c] : cameras_) {
    if (!access_logs_) break;
    viewers.Add(L{{"camera_id", id}, {"protocol", "hls"}, {"source", kSource}},
                static_cast<double>(CountViewers(c, now - Window(id, target))));
    bytes.Add(L{{"camera_id", id}, {"protocol", "hls"}, {"source", kSource}},
              static_cast<double>(c.hls_bytes));
    if (c.whep_attempts > 0) {
      attempts.Add(L{{"camera_id", id}, {"source", kSource}}, static_cast<double>(c.whep_attempts));
      failures.Add(L{{"camera_id", id}, {"stage", "signaling"}, {"source", kSource}},
                   static_cast<double>(c.whep_failures));
    }
  }
  auto dropped = out.Counter("vms_exporter_series_dropped_total", kSeriesDroppedHelp);
  dropped.Add(L{{"reason", "camera_id_cap"}, {"source", kSource}},
              static_cast<double>(cap_->dropped(kSource)));
  dropped.Add(L{{"reason", "invalid_camera_id"}, {"source", kSource}},
              static_cast<double>(invalid_camera_ids_));
  dropped.Add(L{{"reason", "clients_cap"}, {"source", kSource}},
              static_cast<double>(clients_dropped_));
}

}  // namespace vms::streaming_gateway
