#pragma once

#include "api_server/connections_collector.h"
#include "vms/app/role.h"

namespace vms::api_server {

// The access log, health probes and database sections come with their
// collectors.
struct Config : CommonConfig {
  ConnectionsConfig connections;
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::api_server
