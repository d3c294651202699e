#include "vms/app/role.h"

namespace vms {

const std::string_view kCommonDefaultConfig =
    R"yaml(# Background probes: defaults that each target may override.
probes:
  interval: 10s
  timeout: 5s
  concurrency: 8
)yaml";

void ParseCommonSections(MapReader& root, CommonConfig& config) {
  config.probes = ParseProbeDefaults(root.Map("probes"));
  config.host = ParseHostConfig(root.Map("host"));
}

}  // namespace vms
