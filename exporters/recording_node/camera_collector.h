#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "recording_node/camera_fleet.h"
#include "vms/metrics/collector.h"

namespace vms::recording_node {

// camera_* and recording_* for every camera of the fleet (the recorders'
// ffmpeg_process_* are RecorderCollector's). Reads the probes' and segment
// analyses' snapshots, never waiting on a camera or a file. A camera without a probe
// result yet (the first second after start) has no status series: unknown
// is not offline.
//
// A scrape's text is kept from one scrape to the next: each camera's sample
// lines until that camera's config, probe result or segment snapshot is
// replaced (only its lines are rendered again then).
class CameraCollector : public Collector {
 public:
  explicit CameraCollector(std::shared_ptr<CameraFleet> fleet);
  std::string_view name() const override { return "cameras"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  Status CollectText(const ScrapeContext& ctx, std::string& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

  CameraFleet& fleet() { return *fleet_; }

 private:
  // What a camera's lines are rendered from. Cameras and snapshots are
  // immutable and replaced whole, so the same objects mean the same lines.
  struct Inputs {
    std::shared_ptr<const Camera> camera;
    std::shared_ptr<const RtspProbeResult> probe;
    std::shared_ptr<const media::SegmentStats> segments;  // as read: null before a pass
    bool operator==(const Inputs&) const = default;
  };
  // Every camera's sample lines, family by family (family f's lines are one
  // stretch, camera after camera), in one buffer: a scrape appends a stretch
  // per family, and the heap holds one block rather than one per camera.
  struct Text {
    std::vector<Inputs> inputs;     // per camera, in the fleet's order
    std::string lines;
    std::vector<std::size_t> ends;  // where (family f, camera c) ends: ends[f * cameras + c]
    std::string_view Lines(std::size_t family, std::size_t first, std::size_t count) const;
  };
  Text Rebuild(const Text& old, std::vector<Inputs> inputs) const;

  std::shared_ptr<CameraFleet> fleet_;
  std::vector<std::string> headers_;  // HELP and TYPE lines, per family
  std::mutex text_mu_;
  Text text_;  // guarded by text_mu_
};

}  // namespace vms::recording_node
