#include "recording_node/role.h"

#include <memory>

#include "recording_node/camera_collector.h"
#include "vms/app/host_collectors.h"

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
  std::vector<CollectorSpec<Deps>> specs = {
      {"cameras", "Cameras: RTSP probes, recorded segments and recorder processes", true,
       [](Deps& d) {
         auto c = std::make_unique<CameraCollector>(
             std::make_unique<CameraFleet>(d.runtime.io(), d.runtime.options().path_procfs));
         d.config.Subscribe([p = c.get()](const Config& cfg) {
           p->fleet().Apply({cfg.cameras, cfg.recordings, cfg.probes.concurrency});
         });
         return c;
       }},
  };
  for (auto& host : HostCollectorSpecs<Config>()) specs.push_back(std::move(host));
  return specs;
}

}  // namespace vms::recording_node
