#pragma once

#include <vector>

#include "recording_node/camera_config.h"
#include "vms/app/role.h"

namespace vms::recording_node {

struct Config : CommonConfig {
  std::vector<CameraConfig> cameras;  // empty: discovered from running recorders
  RecordingsConfig recordings;
};

const RoleDefinition<Config>& Definition();

}  // namespace vms::recording_node
