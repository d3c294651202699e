#include "api_server/connections_collector.h"

#include <unistd.h>

#include <map>
#include <set>

#include "vms/base/file.h"
#include "vms/procfs/net_tcp.h"

namespace vms::api_server {

namespace {

std::vector<std::uint16_t> Ports(MapReader& map, const std::string& key) {
  std::vector<std::uint16_t> ports;
  std::set<long long> seen;
  for (long long p : map.IntegerList(key, 1, 65535)) {
    if (!seen.insert(p).second) map.Fail(key, "lists port " + std::to_string(p) + " twice");
    ports.push_back(static_cast<std::uint16_t>(p));
  }
  return ports;
}

}  // namespace

ConnectionsConfig ParseConnections(MapReader map) {
  ConnectionsConfig c;
  c.ports = Ports(map, "ports");
  c.websocket_ports = Ports(map, "websocket_ports");
  map.Finish();
  return c;
}

void ConnectionsCollector::Configure(const ConnectionsConfig& config) {
  std::lock_guard lock(mu_);
  config_ = config;
}

Status ConnectionsCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  ConnectionsConfig config;
  {
    std::lock_guard lock(mu_);
    config = config_;
  }
  if (config.ports.empty() && config.websocket_ports.empty()) return Status::Ok();

  std::map<std::uint16_t, std::uint64_t> established;
  for (std::uint16_t p : config.ports) established[p] = 0;
  for (std::uint16_t p : config.websocket_ports) established[p] = 0;
  for (const bool ipv6 : {false, true}) {
    const std::string path = JoinRoot(procfs_root_, ipv6 ? "/net/tcp6" : "/net/tcp");
    auto text = ReadFile(path);
    if (!text) {
      if (ipv6 && ::access(path.c_str(), F_OK) != 0) continue;  // IPv6 disabled
      return text.status();
    }
    Status s = VisitNetTcp(*text, ipv6, [&](const TcpSocket& socket) {
      if (socket.state != TcpState::kEstablished) return;
      if (auto it = established.find(socket.local_port); it != established.end()) ++it->second;
    });
    if (!s.ok()) return s;
  }

  if (!config.ports.empty()) {
    auto active = out.Gauge("active_connections",
                            "Established TCP connections whose local port is this one (clients "
                            "of the server listening on it), from /proc/net/tcp and tcp6.");
    for (std::uint16_t p : config.ports) {
      active.Add({{"port", std::to_string(p)}}, static_cast<double>(established[p]));
    }
  }
  if (!config.websocket_ports.empty()) {
    std::uint64_t total = 0;
    for (std::uint16_t p : config.websocket_ports) total += established[p];
    out.Gauge("websocket_connections",
              "Established TCP connections on the configured websocket ports "
              "(connections.websocket_ports).")
        .Add({}, static_cast<double>(total));
  }
  return Status::Ok();
}

}  // namespace vms::api_server
