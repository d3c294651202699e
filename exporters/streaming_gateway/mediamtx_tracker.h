#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "streaming_gateway/camera_id_cap.h"
#include "streaming_gateway/camera_id_rule.h"
#include "streaming_gateway/mediamtx_api.h"

namespace vms::streaming_gateway {

// One poll of MediaMTX's control API, every page joined.
struct MediaMtxPoll {
  std::optional<MediaMtxInfo> info;  // absent when /v3/info is not served (v1.0)
  std::vector<MediaMtxPath> paths;
  // By protocol: rtsp, rtsps, webrtc (sessions), rtmp, rtmps, srt (connections).
  std::map<std::string, std::vector<MediaMtxSession>> sessions;
  std::vector<MediaMtxMuxer> hls_muxers;
};

// The protocols viewers and bytes are counted by; "hls" counts bytes from
// HLS muxers, and viewers only where MediaMTX lists HLS sessions as readers.
inline constexpr std::array<std::string_view, 7> kMediaMtxProtocols = {
    "rtsp", "rtsps", "webrtc", "rtmp", "rtmps", "srt", "hls"};

struct MediaMtxCameraTotals {
  bool up = false;  // now: one of the camera's paths is available
  std::array<std::uint64_t, kMediaMtxProtocols.size()> viewers{};     // now
  std::array<std::uint64_t, kMediaMtxProtocols.size()> bytes_sent{};  // since the exporter started
  std::uint64_t webrtc_attempts = 0;
  std::uint64_t webrtc_successes = 0;
  std::uint64_t webrtc_failures = 0;  // stage "setup"
};

struct MediaMtxTotals {
  std::map<std::string, MediaMtxCameraTotals> cameras;  // by camera_id
  bool hls_viewers_known = false;                       // MediaMTX lists HLS sessions as readers
  std::uint64_t polls = 0;
  std::uint64_t restarts = 0;  // /v3/info's started or version changed
  std::optional<MediaMtxInfo> info;
};

// Keeps what MediaMTX reports as monotonic running totals across session
// and path churn: each session (by protocol and id) and HLS muxer (by path
// and creation time) adds what it sent since the last poll, a session that
// ends keeps what it sent, and a counter that goes down (MediaMTX restarted,
// seen also by /v3/info's `started`) starts that source over instead of
// taking from the total. A WebRTC session seen is an attempt; one that
// reaches peerConnectionEstablished a success; one gone without it a failure
// (stage "setup": MediaMTX does not say whether ICE or DTLS failed).
// Cameras stay once seen (bounded by the cap), so their counters never
// vanish. Thread-safe.
class MediaMtxTracker {
 public:
  // `path_regex`: camera_id from a path name (group 1); empty: the name.
  MediaMtxTracker(const std::string& path_regex, std::shared_ptr<CameraIdCap> cap);

  void Apply(const MediaMtxPoll& poll);
  MediaMtxTotals Totals() const;

 private:
  struct Source {
    std::string camera;
    std::size_t protocol = 0;
    std::uint64_t last_bytes = 0;
    bool established = false;
    bool webrtc = false;
  };
  // The camera's totals; null when the name gives no camera or the cap refuses it.
  MediaMtxCameraTotals* Camera(const std::string& path, std::string* id = nullptr);
  void Observe(std::map<std::string, Source>& next, const std::string& key, const std::string& path,
               std::size_t protocol, std::uint64_t bytes, bool webrtc, bool established);

  const CameraIdRule rule_;
  std::shared_ptr<CameraIdCap> cap_;

  mutable std::mutex mu_;
  std::map<std::string, Source> sources_;  // sessions and muxers last seen; guarded by mu_
  MediaMtxTotals totals_;                  // guarded by mu_
};

}  // namespace vms::streaming_gateway
