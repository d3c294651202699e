#pragma once

#include <string>
#include <vector>

#include "recording_node/camera_config.h"
#include "vms/app/run_exporter.h"
#include "vms/cli/command_line.h"
#include "vms/config/probe_defaults.h"
#include "vms/host/host_config.h"
#include "vms/metrics/collector.h"

namespace vms::recording_node {

struct Config {
  ProbeDefaults probes;
  HostConfig host;
  std::vector<CameraConfig> cameras;  // empty: discovered from running recorders
  RecordingsConfig recordings;
};

struct Role {
  using Config = recording_node::Config;
  using Deps = RoleDeps<Config>;
  static const RoleInfo kInfo;
  static const char* const kDefaultConfig;
  // Throws ConfigError.
  static Config Parse(const std::string& text, const std::string& file);
  static std::vector<CollectorSpec<Deps>> Collectors();
};

}  // namespace vms::recording_node
