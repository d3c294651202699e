#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "vms/host/disk_latency_tracker.h"
#include "vms/procfs/diskstats.h"
#include "vms/host/host_config.h"
#include "vms/metrics/collector.h"

namespace vms {

// disk_io_* per block device from <procfs>/diskstats, filtered by
// DiskIoConfig's include and exclude regexes; plus disk_io_latency_seconds, a
// histogram of each second's mean request latency weighted by requests, fed
// by a sampler thread this collector owns (Prometheus scrapes far too rarely
// to see latency spikes that last a second).
class DiskIoCollector : public Collector {
 public:
  // `sample_interval` zero starts no sampler thread: tests call Sample().
  explicit DiskIoCollector(std::string procfs_root,
                           std::chrono::milliseconds sample_interval = std::chrono::seconds(1));
  ~DiskIoCollector() override;  // stops and joins the sampler
  DiskIoCollector(const DiskIoCollector&) = delete;
  DiskIoCollector& operator=(const DiskIoCollector&) = delete;

  std::string_view name() const override { return "diskstats"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;

  // Safe while scrapes run; regexes are compiled here, not per scrape.
  // Throws std::regex_error (the config reader has already validated them).
  void Configure(const DiskIoConfig& config);

  // One latency sample: reads diskstats and feeds the histograms.
  Status Sample();

 private:
  struct Filter {
    std::optional<std::regex> include;  // empty pattern: every device
    std::optional<std::regex> exclude;  // empty pattern: none
    bool Keeps(const std::string& device) const;
  };

  std::shared_ptr<const Filter> filter() const;
  Result<std::vector<DiskStats>> ReadDevices(const Filter& filter) const;
  void RunSampler(std::chrono::milliseconds interval);

  const std::string procfs_root_;
  mutable std::mutex mu_;
  std::shared_ptr<const Filter> filter_;  // guarded by mu_
  DiskLatencyTracker tracker_;            // guarded by mu_
  bool stopping_ = false;                 // guarded by mu_
  std::condition_variable wake_;
  std::thread sampler_;  // last: started after everything it uses
};

}  // namespace vms
