#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "api_server/api_probes.h"
#include "vms/metrics/collector.h"

namespace vms::api_server {

// api_* of every `health_checks:` target, from its probe's snapshot (never
// waiting on the endpoint). Every target always has api_up, its phases, its
// failure counters (every reason, 0 included) and its known checks.
class HealthCollector : public Collector {
 public:
  explicit HealthCollector(std::shared_ptr<const ApiProbes> probes) : probes_(std::move(probes)) {}
  std::string_view name() const override { return "health"; }
  // vms_exporter_series_dropped_total may come from other collectors too.
  bool shares_families() const override { return true; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

 private:
  std::shared_ptr<const ApiProbes> probes_;
};

}  // namespace vms::api_server
