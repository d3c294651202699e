#pragma once

#include "api_server/api_access_logs.h"
#include "api_server/connections_collector.h"
#include "vms/app/role.h"

namespace vms::api_server {

struct Config : CommonConfig {
  ConnectionsConfig connections;
  std::vector<ApiAccessLog> access_logs;
  RequestLimits requests;
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::api_server
