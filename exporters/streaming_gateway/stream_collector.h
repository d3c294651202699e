#pragma once

#include <memory>
#include <string>
#include <vector>

#include "streaming_gateway/stream_fleet.h"
#include "vms/metrics/collector.h"

namespace vms::streaming_gateway {

// stream_up, stream_latency_seconds, active_streams, stream_encoded_bytes_total
// and hls_* for every configured stream, from the probes' snapshots (never
// waiting on a playlist or a restream). A stream without a result yet (the
// first seconds) has no up series: unknown is not down.
class StreamCollector : public Collector {
 public:
  explicit StreamCollector(std::shared_ptr<StreamFleet> fleet) : fleet_(std::move(fleet)) {}
  std::string_view name() const override { return "streams"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

 private:
  std::shared_ptr<StreamFleet> fleet_;
};

}  // namespace vms::streaming_gateway
