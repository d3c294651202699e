#pragma once

#include <memory>
#include <vector>

#include "vms/app/exporter_runtime.h"
#include "vms/app/role.h"
#include "vms/host/disk_io_collector.h"
#include "vms/host/disk_space_collector.h"
#include "vms/host/network_collector.h"
#include "vms/host/process_group_collector.h"
#include "vms/metrics/collector.h"

namespace vms {

// The host half of every role's collector table. Each collector follows the
// role's `host:` section (CommonConfig::host) across reloads.
template <typename Config>
std::vector<CollectorSpec<RoleDeps<Config>>> HostCollectorSpecs() {
  using Deps = RoleDeps<Config>;
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

}  // namespace vms
