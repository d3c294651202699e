#include "api_server/role.h"

#include <memory>

#include "vms/app/exporter_runtime.h"

namespace vms::api_server {
namespace {

void ParseOwn(MapReader& root, Config& config) {
  config.connections = ParseConnections(root.Map("connections"));
}

std::vector<CollectorSpec<RoleDeps<Config>>> OwnCollectors() {
  using Deps = RoleDeps<Config>;
  return {
      {"connections", "Established TCP connections on the configured ports", true,
       [](Deps& d) {
         auto c = std::make_unique<ConnectionsCollector>(d.runtime.options().path_procfs);
         d.config.Subscribe([p = c.get()](const Config& cfg) { p->Configure(cfg.connections); });
         return c;
       }},
  };
}

}  // namespace

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"api_server", "api_server_exporter", ":9092",
               "Prometheus exporter for VMS API servers (so far: TCP connections, disks, NICs, "
               "service processes)"},
      .own_default_config = {},
      .parse_own = ParseOwn,
      .own_collectors = OwnCollectors,
  };
  return role;
}

}  // namespace vms::api_server
