#pragma once

#include <memory>
#include <string>
#include <vector>

#include "recording_node/camera_fleet.h"
#include "vms/metrics/collector.h"

namespace vms::recording_node {

// ffmpeg_process_*{camera_id}: the recorder groups the fleet's scan thread
// keeps up to date. A collector of its own, so that a failing /proc read
// loses only these families and shows as
// vms_exporter_collector_success{collector="recorders"} 0, while every
// camera_* family stays.
class RecorderCollector : public Collector {
 public:
  explicit RecorderCollector(std::shared_ptr<CameraFleet> fleet) : fleet_(std::move(fleet)) {}
  std::string_view name() const override { return "recorders"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override {
    return fleet_->recorders().Collect(ctx, out);
  }
  Status CollectText(const ScrapeContext& ctx, std::string& out) override {
    return fleet_->recorders().CollectText(ctx, out);
  }
  void AppendStatus(std::vector<StatusTable>& tables) const override {
    fleet_->recorders().AppendStatus(tables);
  }

 private:
  std::shared_ptr<CameraFleet> fleet_;
};

}  // namespace vms::recording_node
