#include "api_server/role.h"

#include <memory>

#include "vms/app/host_collectors.h"

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

std::vector<CollectorSpec<Role::Deps>> Role::Collectors() { return HostCollectorSpecs<Config>(); }

}  // namespace vms::api_server
