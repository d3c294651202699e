#include "api_server/role.h"

namespace vms::api_server {

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"api_server", "api_server_exporter", ":9092",
               "Prometheus exporter for VMS API servers (so far: disks, NICs, service "
               "processes)"},
      .own_default_config = {},
      .parse_own = {},
      .own_collectors = {},
  };
  return role;
}

}  // namespace vms::api_server
