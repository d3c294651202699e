#pragma once

#include <functional>
#include <string>
#include <vector>

#include "vms/logtail/log_follower.h"
#include "vms/metrics/collector.h"

namespace vms {

// One followed log as the self metrics name it: `file` is the configured
// source name (bounded by config), never a name found on disk.
struct NamedLogStats {
  std::string file;
  LogFollowerStats stats;
};

// The exporter's own view of the logs it follows, per source:
//   vms_exporter_log_file_present{file}
//   vms_exporter_log_lines_total{file}, vms_exporter_log_read_bytes_total{file}
//   vms_exporter_log_parse_errors_total{file}
//   vms_exporter_log_lines_dropped_total{file,reason}  reason: too_long, incomplete
//   vms_exporter_log_lag_bytes{file}, vms_exporter_log_lag_seconds{file}
//   vms_exporter_log_rotations_total{file,kind}        kind: rename, truncate
// Every series of a configured source is written, 0 or not. Reads counters
// only: no I/O on the scrape path.
class LogFileCollector : public Collector {
 public:
  using StatsFn = std::function<std::vector<NamedLogStats>()>;
  // `name` is the collector's (--collector.NAME); `stats` is called at
  // every scrape, from any thread.
  LogFileCollector(std::string name, StatsFn stats);

  std::string_view name() const override { return name_; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;

 private:
  std::string name_;
  StatsFn stats_;
};

}  // namespace vms
