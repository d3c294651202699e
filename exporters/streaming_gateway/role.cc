#include "streaming_gateway/role.h"

namespace vms::streaming_gateway {

const RoleDefinition<Config>& Definition() {
  static const RoleDefinition<Config> role{
      .info = {"streaming_gateway", "streaming_gateway_exporter", ":9091",
               "Prometheus exporter for VMS streaming gateways (so far: disks, NICs, service "
               "processes)"},
      .own_default_config = {},
      .parse_own = {},
      .own_collectors = {},
  };
  return role;
}

}  // namespace vms::streaming_gateway
