#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "vms/app/role_info.h"
#include "vms/config/config_holder.h"
#include "vms/config/probe_defaults.h"
#include "vms/config/yaml_reader.h"
#include "vms/host/host_config.h"
#include "vms/metrics/collector.h"

namespace vms {

class ExporterRuntime;

// The sections every role's config has. A role's Config derives from it and
// adds its own sections.
struct CommonConfig {
  ProbeDefaults probes;  // `probes:` defaults for background probes
  HostConfig host;       // `host:` what the host collectors watch
};

// Reads `probes:` and `host:` off a role's document root.
void ParseCommonSections(MapReader& root, CommonConfig& config);

// The embedded default's common part: the probe defaults, spelled out.
extern const std::string_view kCommonDefaultConfig;

// What a role's collectors are built from.
template <typename Config>
struct RoleDeps {
  ExporterRuntime& runtime;
  ConfigHolder<Config>& config;
};

// What a role says of itself. RunExporter adds what every role has: the
// common config sections, the host collectors and the self collector.
template <typename Config>
struct RoleDefinition {
  static_assert(std::is_base_of_v<CommonConfig, Config>, "a role's Config is a CommonConfig");
  using Deps = RoleDeps<Config>;

  RoleInfo info;
  // The role's own part of the embedded default config, after the common
  // part (YAML, often only comments saying what the role does without one).
  std::string_view own_default_config;
  // Reads the role's own top-level keys into `config` (the common sections
  // are read already; keys nobody reads are rejected after). Throws
  // ConfigError. Empty: the role has no keys of its own.
  std::function<void(MapReader& root, Config& config)> parse_own;
  // The role's own collectors; the host collectors follow them.
  std::function<std::vector<CollectorSpec<Deps>>()> own_collectors;

  std::string DefaultConfig() const {
    return std::string(kCommonDefaultConfig) + std::string(own_default_config);
  }

  // The whole document. Throws ConfigError naming file:line:column and key.
  Config Parse(const std::string& text, const std::string& file) const {
    MapReader root(ParseYaml(text, file), file, "");
    Config config;
    ParseCommonSections(root, config);
    if (parse_own) parse_own(root, config);
    root.Finish();
    return config;
  }
};

}  // namespace vms
