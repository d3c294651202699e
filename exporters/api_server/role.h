#pragma once

#include <vector>

#include "api_server/api_access_logs.h"
#include "api_server/connections_collector.h"
#include "api_server/health_check_config.h"
#include "vms/app/role.h"
#include "vms/pg/database_config.h"

namespace vms::api_server {

struct Config : CommonConfig {
  ConnectionsConfig connections;
  std::vector<ApiAccessLog> access_logs;  // `access_logs:` nginx logs of the API
  RequestLimits requests;                 // `requests:` buckets and series caps
  std::vector<HealthCheckConfig> health_checks;  // `health_checks:` health endpoints
  std::vector<pg::DatabaseConfig> databases;     // `databases:` PostgreSQL (docs/postgresql.md)
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::api_server
