#pragma once

#include <vector>

#include "streaming_gateway/stream_config.h"
#include "vms/app/role.h"

namespace vms::streaming_gateway {

struct Config : CommonConfig {
  std::vector<StreamConfig> streams;
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::streaming_gateway
