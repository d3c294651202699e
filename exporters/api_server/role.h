#pragma once

#include <string>
#include <vector>

#include "vms/app/run_exporter.h"
#include "vms/cli/command_line.h"
#include "vms/config/probe_defaults.h"
#include "vms/host/host_config.h"
#include "vms/metrics/collector.h"

namespace vms::api_server {

struct Config {
  ProbeDefaults probes;
  HostConfig host;
};

struct Role {
  using Config = api_server::Config;
  using Deps = RoleDeps<Config>;
  static const RoleInfo kInfo;
  static const char* const kDefaultConfig;
  // Throws ConfigError.
  static Config Parse(const std::string& text, const std::string& file);
  static std::vector<CollectorSpec<Deps>> Collectors();
};

}  // namespace vms::api_server
