#include "recording_node/role.h"

namespace vms::recording_node {

const RoleInfo Role::kInfo{"recording_node", "recording_node_exporter", ":9090", "Prometheus exporter for VMS recording nodes: cameras, recorders, segments, disks, NICs"};

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

std::vector<CollectorSpec<Role::Deps>> Role::Collectors() { return {}; }

}  // namespace vms::recording_node
