#pragma once

#include <vector>

#include "streaming_gateway/gateway_access_logs.h"
#include "streaming_gateway/gateway_traffic.h"
#include "streaming_gateway/janus_config.h"
#include "streaming_gateway/mediamtx_config.h"
#include "streaming_gateway/stream_config.h"
#include "vms/app/role.h"

namespace vms::streaming_gateway {

struct Config : CommonConfig {
  std::vector<StreamConfig> streams;
  std::vector<GatewayAccessLog> access_logs;
  TrafficLimits limits;
  MediaMtxConfig mediamtx;  // `mediamtx:` MediaMTX's control API
  JanusConfig janus;        // `janus:` Janus' event handler posts
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::streaming_gateway
