#include "streaming_gateway/mediamtx_tracker.h"

#include <algorithm>

#include "streaming_gateway/running_total.h"

namespace vms::streaming_gateway {
namespace {

constexpr std::string_view kSource = "mediamtx";

std::optional<std::size_t> ProtocolIndex(std::string_view protocol) {
  const auto it = std::find(kMediaMtxProtocols.begin(), kMediaMtxProtocols.end(), protocol);
  if (it == kMediaMtxProtocols.end()) return std::nullopt;
  return static_cast<std::size_t>(it - kMediaMtxProtocols.begin());
}

// A path reader's protocol, for stream_viewers. An HLS muxer reads once for
// all HLS viewers and a connection carries a session that is listed too, so
// neither is a viewer.
std::optional<std::size_t> ReaderProtocol(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"rtspSession", "rtsp"}, {"rtspsSession", "rtsps"}, {"webRTCSession", "webrtc"},
      {"rtmpConn", "rtmp"},    {"rtmpsConn", "rtmps"},    {"srtConn", "srt"},
      {"hlsSession", "hls"},
  };
  for (const auto& [t, protocol] : kTypes) {
    if (t == type) return ProtocolIndex(protocol);
  }
  return std::nullopt;
}

}  // namespace

MediaMtxTracker::MediaMtxTracker(const std::string& path_regex, std::shared_ptr<CameraIdCap> cap)
    : rule_(path_regex), cap_(std::move(cap)) {}

MediaMtxCameraTotals* MediaMtxTracker::Camera(const std::string& path, std::string* id) {
  auto camera = rule_.Apply(path);
  if (!camera || !cap_->Admit(*camera, kSource)) return nullptr;
  if (id != nullptr) *id = *camera;
  return &totals_.cameras[*camera];
}

void MediaMtxTracker::Observe(std::map<std::string, Source>& next, const std::string& key,
                              const std::string& path, std::size_t protocol, std::uint64_t bytes,
                              bool webrtc, bool established) {
  Source s;
  const auto old = sources_.find(key);
  if (old != sources_.end()) {
    s = old->second;
  } else {
    MediaMtxCameraTotals* t = Camera(path, &s.camera);
    if (t == nullptr) return;
    s.protocol = protocol;
    s.webrtc = webrtc;
    if (webrtc) ++t->webrtc_attempts;
  }
  MediaMtxCameraTotals& t = totals_.cameras[s.camera];
  t.bytes_sent[s.protocol] += RunningTotal::Growth(s.last_bytes, bytes);
  s.last_bytes = bytes;
  if (webrtc && established && !s.established) {
    s.established = true;
    ++t.webrtc_successes;
  }
  next[key] = std::move(s);
}

void MediaMtxTracker::Apply(const MediaMtxPoll& poll) {
  std::lock_guard lock(mu_);
  ++totals_.polls;
  if (poll.info && totals_.info &&
      (poll.info->started != totals_.info->started ||
       poll.info->version != totals_.info->version)) {
    // A new MediaMTX: whatever ids or counters it reuses start over.
    ++totals_.restarts;
    for (auto& [key, s] : sources_) s.last_bytes = 0;
  }
  if (poll.info) totals_.info = poll.info;

  for (auto& [id, t] : totals_.cameras) {
    t.up = false;
    t.viewers.fill(0);
  }
  for (const MediaMtxPath& p : poll.paths) {
    MediaMtxCameraTotals* t = Camera(p.name);
    if (t == nullptr) continue;
    t->up = t->up || p.available;
    for (const MediaMtxReader& r : p.readers) {
      if (auto protocol = ReaderProtocol(r.type)) {
        ++t->viewers[*protocol];
        if (r.type == "hlsSession") totals_.hls_viewers_known = true;
      }
    }
  }

  std::map<std::string, Source> next;
  for (const auto& [protocol, sessions] : poll.sessions) {
    const auto index = ProtocolIndex(protocol);
    if (!index) continue;
    const bool webrtc = protocol == "webrtc";
    for (const MediaMtxSession& s : sessions) {
      // A publisher's bytes sent are RTCP, not media served to a viewer.
      const std::uint64_t bytes = s.state == "publish" ? 0 : s.bytes_sent;
      // Without peerConnectionEstablished, a session reading or publishing
      // has its PeerConnection.
      const bool established =
          s.peer_connection_established.value_or(s.state == "read" || s.state == "publish");
      Observe(next, protocol + '/' + s.id, s.path, *index, bytes, webrtc, webrtc && established);
    }
  }
  const std::size_t hls = *ProtocolIndex("hls");
  for (const MediaMtxMuxer& m : poll.hls_muxers) {
    Observe(next, "hls/" + m.path + '/' + m.created, m.path, hls, m.bytes_sent, false, false);
  }
  for (const auto& [key, s] : sources_) {
    if (s.webrtc && !s.established && !next.contains(key)) {
      ++totals_.cameras[s.camera].webrtc_failures;
    }
  }
  sources_ = std::move(next);
}

MediaMtxTotals MediaMtxTracker::Totals() const {
  std::lock_guard lock(mu_);
  return totals_;
}

}  // namespace vms::streaming_gateway
