#pragma once

#include <chrono>

#include "vms/config/yaml_reader.h"

namespace vms {

// `probes:` in every role's config: defaults for background probes, which a
// target may override.
struct ProbeDefaults {
  std::chrono::milliseconds interval{10'000};
  std::chrono::milliseconds timeout{5'000};
  int concurrency = 8;  // probes in flight at once, across all targets
};

ProbeDefaults ParseProbeDefaults(MapReader map);

}  // namespace vms
