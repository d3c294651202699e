#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "streaming_gateway/camera_id_cap.h"
#include "vms/accesslog/access_record.h"
#include "vms/base/siphash.h"
#include "vms/metrics/metric_writer.h"

namespace vms::streaming_gateway {

// `limits:` how much the traffic the gateway serves may cost in series and
// memory, whatever its logs and APIs hold.
struct TrafficLimits {
  // camera_id values learned from access logs, MediaMTX and Janus, beyond
  // the configured streams (which are always kept).
  std::size_t camera_ids = 500;
  // Distinct viewers held in memory at once, over all cameras.
  std::size_t clients = 100'000;
  // A viewer is a client seen within 3 target durations of the camera's
  // HLS playlist when the gateway polls it, else within this window.
  std::chrono::milliseconds viewer_window{30'000};
  bool operator==(const TrafficLimits&) const = default;
};

// What an HTTP request of the access log is for a gateway.
enum class RequestKind { kOther, kPlaylist, kSegment, kWhep };
// By method and path: .m3u8 is a playlist; .ts, .m4s, .mp4, .m4a, .m4v,
// .aac, .vtt a segment (or an LL-HLS part); POST .../whep a WebRTC offer
// (RFC 9725).
RequestKind ClassifyRequest(std::string_view method, std::string_view path);

// The gateway's viewers and traffic by camera, from its access logs (HLS
// requests, WHEP offers). The families other sources write too
// (stream_viewers, stream_bytes_sent_total, webrtc_connection_*,
// vms_exporter_series_dropped_total) carry source="access_log"; the scrape
// merges each such family across the gateway's collectors. camera_id values
// come from the configured streams and the access logs' camera_id regex,
// through the gateway's CameraIdCap (limits.camera_ids, shared with MediaMTX
// and Janus). A viewer is identified by its session
// id, else by a keyed hash (SipHash, random key) of its address and user
// agent, held in memory only: no address, session or token is ever kept in
// the clear, labelled or logged. Thread-safe.
class GatewayTraffic {
 public:
  using TargetDuration = std::function<std::optional<double>(const std::string& camera_id)>;

  explicit GatewayTraffic(std::shared_ptr<CameraIdCap> cap) : cap_(std::move(cap)) {}

  // At each config load: the streams' camera ids (every one has its series)
  // and the limits. Counters of cameras that stay, or that were seen in the
  // traffic, are kept.
  void Configure(std::vector<std::string> configured_camera_ids, TrafficLimits limits);
  // Whether access logs are configured: then every camera has its
  // access_log series, 0 or not.
  void SetAccessLogs(bool configured);

  // One source's parsed requests: `camera_id` (group 1) picks the camera
  // from the path; requests it does not match are not the gateway's.
  void AddRecords(const std::regex& camera_id, std::span<const AccessRecord> records);

  // The families, as of wall time `now` (Unix seconds); `target` gives a
  // camera's HLS target duration when the gateway polls its playlist.
  void Write(MetricWriter& out, double now, const TargetDuration& target);
  // stream_viewers{protocol="hls",source="access_log"} for the landing page.
  std::optional<std::uint64_t> HlsViewers(const std::string& camera_id, double now,
                                          const TargetDuration& target) const;

 private:
  struct Camera {
    std::map<int, std::uint64_t> playlist_requests;  // by status
    std::map<int, std::uint64_t> segment_requests;
    std::uint64_t hls_bytes = 0;
    std::uint64_t whep_attempts = 0;
    std::uint64_t whep_failures = 0;
    std::unordered_map<std::uint64_t, double> clients;  // viewer -> last seen
  };

  // The camera for `id`, admitting a new one through the cap; null when
  // refused (and counted). mu_ held.
  Camera* Admit(std::string_view id);
  double Window(const std::string& id, const TargetDuration& target) const;
  std::uint64_t CountViewers(const Camera& c, double since) const;
  void Forget(double now);  // mu_ held: drops clients older than any window

  const std::shared_ptr<CameraIdCap> cap_;
  const SipKey key_ = RandomSipKey();

  mutable std::mutex mu_;
  TrafficLimits limits_;                                // guarded by mu_
  bool access_logs_ = false;                            // guarded by mu_
  std::set<std::string, std::less<>> configured_;       // guarded by mu_
  std::map<std::string, Camera, std::less<>> cameras_;  // guarded by mu_
  std::size_t clients_ = 0;                             // guarded by mu_
  std::uint64_t invalid_camera_ids_ = 0;                // guarded by mu_
  std::uint64_t clients_dropped_ = 0;                   // guarded by mu_
  double newest_ = 0;                                   // guarded by mu_: newest record time
  double forgotten_at_ = 0;                             // guarded by mu_: last Forget()
};

}  // namespace vms::streaming_gateway
