#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "vms/metrics/collector.h"
#include "vms/pg/database_probe.h"

namespace vms::pg {

// database_* for every configured database, from the probes' snapshots
// (never waiting on a database). Every database always has its up, error and
// duration series (up 0 while it is down); connections, block counters,
// replication lag and pg_stat_statements totals are there while the
// database is up and answered its last statistics run.
class DatabaseCollector : public Collector {
 public:
  explicit DatabaseCollector(std::vector<std::shared_ptr<const DatabaseProbe>> probes = {});
  std::string_view name() const override { return "databases"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

  // A reload's new probes; from any thread.
  void SetProbes(std::vector<std::shared_ptr<const DatabaseProbe>> probes);

 private:
  std::vector<std::shared_ptr<const DatabaseSnapshot>> Snapshots() const;

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<const DatabaseProbe>> probes_;  // guarded by mu_
};

// The families, always all of them in this order, with the series of each
// snapshot.
void WriteDatabaseFamilies(std::span<const std::shared_ptr<const DatabaseSnapshot>> databases,
                           MetricWriter& out);

}  // namespace vms::pg
