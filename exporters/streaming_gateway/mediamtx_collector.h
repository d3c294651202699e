#pragma once

#include <functional>
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
// A MediaMtxPoller on the gateway's ProbeScheduler feeds Publish() (every
// list, every page, each poll joined); a scrape reads only what the last
// poll left, so it never waits on MediaMTX. Until the first poll and after
// a failed one, vms_exporter_mediamtx_up is 0 and the landing page says why.
class MediaMtxCollector : public Collector {
 public:
  // `cap` is the gateway's camera_id cap, shared with its other sources.
  explicit MediaMtxCollector(std::shared_ptr<CameraIdCap> cap) : cap_(std::move(cap)) {}

  // On the io_context's thread. A change of path_regex starts the counters over.
  void Apply(const MediaMtxConfig& config);
  // One poll's outcome, all pages joined, or why it failed; from the poller.
  void Publish(Result<MediaMtxPoll> poll);
  // Publish(), for a poller that may outlive this collector: after it is
  // gone, polls are dropped.
  std::function<void(Result<MediaMtxPoll>)> Sink();

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
  bool polled_ = false;                 // a poll came since the tracker was made; guarded by mu_
  std::string last_error_;              // guarded by mu_
  const std::shared_ptr<CameraIdCap> cap_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace vms::streaming_gateway
