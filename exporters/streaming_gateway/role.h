#pragma once

#include <vector>

#include "streaming_gateway/gateway_access_logs.h"
#include "streaming_gateway/gateway_traffic.h"
#include "streaming_gateway/stream_config.h"
#include "vms/app/role.h"

namespace vms::streaming_gateway {

struct Config : CommonConfig {
  std::vector<StreamConfig> streams;
  std::vector<GatewayAccessLog> access_logs;
  TrafficLimits limits;
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::streaming_gateway
