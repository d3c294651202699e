#pragma once

#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <string_view>

#include "vms/host/host_config.h"
#include "vms/metrics/collector.h"

namespace vms {

// network_* per interface: counters from <procfs>/net/dev, link state and
// speed from <sysfs>/class/net/IFACE/{operstate,speed}. Interfaces matching
// NetworkConfig::interfaces_exclude (loopback, container veths, bridges by
// default) are left out. network_up is 1 only for operstate "up" and is left
// out when operstate cannot be read (unknown is not down);
// network_speed_bytes is left out when speed is unreadable or negative (the
// kernel reports -1, or fails the read, for a link that is down).
// Everything read is world-readable: nothing changes when not root.
class NetworkCollector : public Collector {
 public:
  NetworkCollector(std::string procfs_root, std::string sysfs_root);

  std::string_view name() const override { return "netdev"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;

  // Safe while scrapes run; the regex is compiled here, not per scrape.
  // Throws std::regex_error (the config reader has already validated it).
  void Configure(const NetworkConfig& config);

 private:
  std::shared_ptr<const std::regex> exclude() const;

  const std::string procfs_root_;
  const std::string sysfs_root_;
  mutable std::mutex mu_;
  std::shared_ptr<const std::regex> exclude_;  // guarded by mu_; null: exclude nothing
};

}  // namespace vms
