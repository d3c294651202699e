#include "api_server/role.h"

#include <memory>

#include "vms/host/disk_io_collector.h"
#include "vms/host/disk_space_collector.h"
#include "vms/host/network_collector.h"
#include "vms/host/process_group_collector.h"

namespace vms::api_server {

const RoleInfo Role::kInfo{"api_server", "api_server_exporter", ":9092", "Prometheus exporter for VMS API servers: access log, health, PostgreSQL, connections, disks, NICs"};

const char* const Role::kDefaultConfig = R"yaml(
probes:
  interval: 10s
  timeout: 5s
  concurrency: 8
)yaml";

Config Role::Parse(const std::string& text, const std::string& file) {
  MapReader root(ParseYaml(text, file), file, "");
  Config config;
  config.probes = ParseProbeDefaults(root.Map("probes"));
  config.host = ParseHostConfig(root.Map("host"));
  root.Finish();
  return config;
}

std::vector<CollectorSpec<Role::Deps>> Role::Collectors() {
  return {
      {"diskspace", "Disk space, inodes, read-only and stale mounts", true,
       [](Deps& d) {
         auto c = std::make_unique<DiskSpaceCollector>(d.runtime.options().path_procfs,
                                                       d.runtime.options().path_rootfs);
         d.config.Subscribe(
             [p = c.get()](const Config& cfg) { p->Configure(cfg.host.disk_space); });
         return c;
       }},
      {"diskstats", "Disk IO counters and per-second request latency", true,
       [](Deps& d) {
         auto c = std::make_unique<DiskIoCollector>(d.runtime.options().path_procfs);
         d.config.Subscribe([p = c.get()](const Config& cfg) { p->Configure(cfg.host.disk_io); });
         return c;
       }},
      {"netdev", "Network interface counters, state and speed", true,
       [](Deps& d) {
         auto c = std::make_unique<NetworkCollector>(d.runtime.options().path_procfs,
                                                     d.runtime.options().path_sysfs);
         d.config.Subscribe([p = c.get()](const Config& cfg) { p->Configure(cfg.host.network); });
         return c;
       }},
      {"processes", "CPU, memory, restarts and open fds of the configured service processes", true,
       [](Deps& d) {
         auto c = std::make_unique<ProcessGroupCollector>(d.runtime.options().path_procfs);
         d.config.Subscribe([p = c.get()](const Config& cfg) { p->Configure(cfg.host.services); });
         return c;
       }},
  };
}

}  // namespace vms::api_server
