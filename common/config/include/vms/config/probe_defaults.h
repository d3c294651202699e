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

// The range of any probe's interval and timeout, here and per target.
inline constexpr std::chrono::milliseconds kMinProbeInterval{100};
inline constexpr std::chrono::milliseconds kMinProbeTimeout{1};
inline constexpr std::chrono::milliseconds kMaxProbeInterval = std::chrono::hours(24);

ProbeDefaults ParseProbeDefaults(MapReader map);

}  // namespace vms
