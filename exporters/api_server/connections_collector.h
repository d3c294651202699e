#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "vms/config/yaml_reader.h"
#include "vms/metrics/collector.h"

namespace vms::api_server {

// `connections:` which local TCP ports to count connections on.
struct ConnectionsConfig {
  std::vector<std::uint16_t> ports;            // active_connections{port}
  std::vector<std::uint16_t> websocket_ports;  // websocket_connections
  bool operator==(const ConnectionsConfig&) const = default;
};
ConnectionsConfig ParseConnections(MapReader map);

// active_connections{port} and websocket_connections: established TCP
// connections whose local port is a configured one (the server's side of
// what clients opened), IPv4 and IPv6, from <procfs>/net/tcp and tcp6 at
// scrape time. The sockets are those of the network namespace the exporter
// runs in, as with node_exporter's netstat. Every configured port has its
// series, 0 when idle. A missing tcp6 (IPv6 disabled) is not an error.
class ConnectionsCollector : public Collector {
 public:
  explicit ConnectionsCollector(std::string procfs_root) : procfs_root_(std::move(procfs_root)) {}
  std::string_view name() const override { return "connections"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void Configure(const ConnectionsConfig& config);

 private:
  const std::string procfs_root_;
  std::mutex mu_;
  ConnectionsConfig config_;  // guarded by mu_
};

}  // namespace vms::api_server
