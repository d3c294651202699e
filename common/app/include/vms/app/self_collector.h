#pragma once

#include <cstdint>
#include <string>

#include "vms/config/reload_state.h"
#include "vms/metrics/collector.h"

namespace vms {

// The exporter's own health: vms_exporter_build_info, config reload state and
// the standard process_* metrics. Always reads the real /proc/self, not
// --path.procfs, which points at the host being watched.
class SelfCollector : public Collector {
 public:
  SelfCollector(std::string role, const ReloadState* reload);
  std::string_view name() const override { return "exporter"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;

 private:
  std::string role_;
  const ReloadState* reload_;
  // From /proc/stat at construction: it never changes, and /proc/stat is
  // large on many-core hosts.
  Result<std::uint64_t> boot_time_;
};

}  // namespace vms
