#pragma once

#include <memory>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "vms/metrics/collector.h"

namespace vms {

// The collectors a role runs. Fixed once serving starts; collectors that
// change at reload (cameras) reconfigure themselves.
class CollectorSet {
 public:
  void Add(std::unique_ptr<Collector> collector);

  // Runs every collector, isolating failures, and appends
  // vms_exporter_collector_{duration_seconds,success}. Thread-safe.
  std::vector<prometheus::MetricFamily> Collect(const ScrapeContext& ctx) const;

  // Collect() rendered in the Prometheus text format (version 0.0.4).
  std::string Scrape(const ScrapeContext& ctx) const;

  std::vector<StatusTable> Status() const;
  std::vector<std::string> Names() const;

 private:
  std::vector<std::unique_ptr<Collector>> collectors_;
};

}  // namespace vms
