#pragma once

#include <memory>
#include <string>

#include "streaming_gateway/gateway_traffic.h"
#include "streaming_gateway/stream_fleet.h"
#include "vms/metrics/collector.h"

namespace vms::streaming_gateway {

// The gateway's viewers, requests and bytes by camera (GatewayTraffic), with
// each camera's viewer window taken from its HLS playlist's target duration
// when the gateway polls it.
class TrafficCollector : public Collector {
 public:
  TrafficCollector(std::shared_ptr<GatewayTraffic> traffic, std::shared_ptr<StreamFleet> fleet)
      : traffic_(std::move(traffic)), fleet_(std::move(fleet)) {}
  std::string_view name() const override { return "traffic"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  // stream_viewers, stream_bytes_sent_total, webrtc_* and
  // vms_exporter_series_dropped_total are written by MediaMTX and Janus too.
  bool shares_families() const override { return true; }

 private:
  std::shared_ptr<GatewayTraffic> traffic_;
  std::shared_ptr<StreamFleet> fleet_;
};

// A camera's HLS target duration as its stream's last poll saw it (the
// longest of its variants), or nullopt.
GatewayTraffic::TargetDuration TargetDurations(const StreamList& streams);

}  // namespace vms::streaming_gateway
