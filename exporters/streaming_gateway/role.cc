#include "streaming_gateway/role.h"

#include <memory>

#include "vms/app/host_collectors.h"

namespace vms::streaming_gateway {

const RoleInfo Role::kInfo{"streaming_gateway", "streaming_gateway_exporter", ":9091", "Prometheus exporter for VMS streaming gateways: restreams, viewers, access log, disks, NICs"};

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

std::vector<CollectorSpec<Role::Deps>> Role::Collectors() { return HostCollectorSpecs<Config>(); }

}  // namespace vms::streaming_gateway
