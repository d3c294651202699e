#pragma once

#include <memory>
#include <string>
#include <vector>

#include "streaming_gateway/gateway_traffic.h"
#include "streaming_gateway/stream_fleet.h"
#include "vms/metrics/collector.h"

namespace vms::streaming_gateway {

// stream_up, stream_latency_seconds, active_streams, stream_encoded_bytes_total
// and hls_* for every configured stream, from the probes' snapshots (never
// waiting on a playlist or a restream). A stream without a result yet (the
// first seconds) has no up series: unknown is not down.
class StreamCollector : public Collector {
 public:
  // `traffic` gives the landing page its viewers column (may be null).
  StreamCollector(std::shared_ptr<StreamFleet> fleet, std::shared_ptr<GatewayTraffic> traffic)
      : fleet_(std::move(fleet)), traffic_(std::move(traffic)) {}
  std::string_view name() const override { return "streams"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  // stream_up is written by MediaMTX's collector too.
  bool shares_families() const override { return true; }
  void AppendStatus(std::vector<StatusTable>& tables) const override;

 private:
  std::shared_ptr<StreamFleet> fleet_;
  std::shared_ptr<GatewayTraffic> traffic_;
};

}  // namespace vms::streaming_gateway
