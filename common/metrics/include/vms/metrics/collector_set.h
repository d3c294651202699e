#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "vms/metrics/collector.h"

namespace vms {

// The collectors a role runs. Fixed once serving starts; collectors that
// change at reload (cameras) reconfigure themselves.
class CollectorSet {
 public:
  void Add(std::unique_ptr<Collector> collector);

  // Runs every collector, isolating failures, and appends
  // vms_exporter_collector_{duration_seconds,success}, in the Prometheus text
  // format (version 0.0.4). Thread-safe.
  std::string Scrape(const ScrapeContext& ctx) const;

  std::vector<StatusTable> Status() const;

 private:
  std::vector<std::unique_ptr<Collector>> collectors_;
  // The last body's size, to allocate the next one at once rather than
  // growing it by copies.
  mutable std::atomic<std::size_t> last_size_{0};
};

}  // namespace vms
