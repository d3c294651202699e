#include "recording_node/role.h"

#include <memory>

#include "recording_node/camera_collector.h"
#include "vms/host/disk_io_collector.h"
#include "vms/host/disk_space_collector.h"
#include "vms/host/network_collector.h"
#include "vms/host/process_group_collector.h"

namespace vms::recording_node {

const RoleInfo Role::kInfo{"recording_node", "recording_node_exporter", ":9090", "Prometheus exporter for VMS recording nodes: cameras, recorders, segments, disks, NICs"};

// No cameras: they are discovered from the recorders running on the node.
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
  config.cameras = ParseCameras(root, file, config.probes);
  config.recordings = ParseRecordings(root.Map("recordings"));
  root.Finish();
  return config;
}

std::vector<CollectorSpec<Role::Deps>> Role::Collectors() {
  return {
      {"cameras", "Cameras: RTSP probes, recorded segments and recorder processes", true,
       [](Deps& d) {
         auto c = std::make_unique<CameraCollector>(
             std::make_unique<CameraFleet>(d.runtime.io(), d.runtime.options().path_procfs));
         d.config.Subscribe([p = c.get()](const Config& cfg) {
           p->fleet().Apply({cfg.cameras, cfg.recordings, cfg.probes.concurrency});
         });
         return c;
       }},
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

}  // namespace vms::recording_node
