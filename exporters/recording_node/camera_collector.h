#pragma once

#include <memory>

#include "recording_node/camera_fleet.h"
#include "vms/metrics/collector.h"

namespace vms::recording_node {

// camera_*, recording_* and ffmpeg_process_* for every camera of the fleet.
// Reads the probes' and segment analyses' snapshots (never waits on a
// camera or a file) and scans recorder processes. A camera without a probe
// result yet (the first second after start) has no status series: unknown
// is not offline.
class CameraCollector : public Collector {
 public:
  explicit CameraCollector(std::unique_ptr<CameraFleet> fleet) : fleet_(std::move(fleet)) {}
  std::string_view name() const override { return "cameras"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

  CameraFleet& fleet() { return *fleet_; }

 private:
  std::unique_ptr<CameraFleet> fleet_;
};

}  // namespace vms::recording_node
