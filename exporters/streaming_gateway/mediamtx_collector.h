#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "streaming_gateway/camera_id_cap.h"
#include "streaming_gateway/mediamtx_config.h"
#include "streaming_gateway/mediamtx_tracker.h"
#include "vms/base/status.h"
#include "vms/metrics/collector.h"

namespace vms::streaming_gateway {

// Streams, viewers, bytes served and WebRTC sessions as MediaMTX's control
// API reports them (`mediamtx:`). Every series has source="mediamtx", so it
// never collides with the same metric from the access log, the restream
// probes or Janus. Without a `mediamtx:` section it writes nothing.
//
// The poller that feeds Publish() (GET /v3/info, /v3/paths/list,
// /v3/hlsmuxers/list, /v3/{rtsp,rtsps,webrtc}sessions/list and
// /v3/{rtmp,srt}conns/list, every page, on the ProbeScheduler) needs the
// asynchronous HTTP client (common/httpclient), which is not in this tree
// yet: until it is, the collector reports vms_exporter_mediamtx_up 0 and says
// why on the landing page.
class MediaMtxCollector : public Collector {
 public:
  // `cap` is the gateway's camera_id cap, shared with its other sources.
  explicit MediaMtxCollector(std::shared_ptr<CameraIdCap> cap) : cap_(std::move(cap)) {}

  // On the io_context's thread. A change of path_regex starts the counters over.
  void Apply(const MediaMtxConfig& config);
  // One poll's outcome, all pages joined, or why it failed; from the poller.
  void Publish(Result<MediaMtxPoll> poll);

  std::string_view name() const override { return "mediamtx"; }
  bool shares_families() const override { return true; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

 private:
  struct State {
    MediaMtxConfig config;
    std::shared_ptr<CameraIdCap> cap;
    std::shared_ptr<MediaMtxTracker> tracker;
  };

  mutable std::mutex mu_;
  std::shared_ptr<const State> state_;  // guarded by mu_
  bool up_ = false;                     // the last poll succeeded; guarded by mu_
  std::string last_error_;              // guarded by mu_
  const std::shared_ptr<CameraIdCap> cap_;
};

}  // namespace vms::streaming_gateway
