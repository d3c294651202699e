#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "recording_node/camera_fleet.h"
#include "vms/metrics/collector.h"
#include "vms/metrics/exposition_text.h"

namespace vms::recording_node {

// camera_*, recording_* and ffmpeg_process_* for every camera of the fleet.
// Reads the probes' and segment analyses' snapshots (never waits on a
// camera or a file) and what the recorder scan found. A camera without a probe
// result yet (the first second after start) has no status series: unknown
// is not offline.
//
// A scrape's text is assembled from each camera's sample lines, kept from
// one scrape to the next until that camera's config, probe result or
// segment snapshot is replaced, and the recorders' text, kept until their
// next refresh: between those, nothing is rendered again.
class CameraCollector : public Collector {
 public:
  explicit CameraCollector(std::unique_ptr<CameraFleet> fleet);
  std::string_view name() const override { return "cameras"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  Status CollectText(const ScrapeContext& ctx, std::string& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

  CameraFleet& fleet() { return *fleet_; }

 private:
  // One camera's sample lines and what they were rendered from.
  struct CameraText {
    std::shared_ptr<const Camera> camera;
    std::shared_ptr<const RtspProbeResult> probe;
    std::shared_ptr<const media::SegmentStats> segments;  // as read: null before a pass
    SampleTexts samples;                                  // per family
  };

  std::unique_ptr<CameraFleet> fleet_;
  std::vector<std::string> headers_;  // HELP and TYPE lines, per family
  std::mutex text_mu_;
  // Keyed by the Camera its entry holds, so the key outlives no camera.
  std::unordered_map<const Camera*, CameraText> texts_;  // guarded by text_mu_
  std::shared_ptr<const CameraList> texts_for_;          // guarded by text_mu_
};

}  // namespace vms::recording_node
