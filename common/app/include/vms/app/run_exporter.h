#pragma once

#include <spdlog/spdlog.h>

#include <iostream>

#include "vms/app/exporter_runtime.h"
#include "vms/app/host_collectors.h"
#include "vms/app/role.h"
#include "vms/cli/command_line.h"
#include "vms/config/config_holder.h"
#include "vms/log/logging.h"

namespace vms {

// Limits glibc's malloc arenas (see tune_malloc.cc for the trade-off).
void TuneMalloc();

// A role's collector table: its own collectors, then the host ones.
template <typename Config>
std::vector<CollectorSpec<RoleDeps<Config>>> RoleCollectors(const RoleDefinition<Config>& role) {
  std::vector<CollectorSpec<RoleDeps<Config>>> specs;
  if (role.own_collectors) specs = role.own_collectors();
  for (auto& host : HostCollectorSpecs<Config>()) specs.push_back(std::move(host));
  return specs;
}

// The life of every exporter: flags, logging, config, collectors, serve.
template <typename Config>
int RunExporter(int argc, const char* const* argv, const RoleDefinition<Config>& role) {
  TuneMalloc();
  const auto collectors = RoleCollectors(role);
  CommandLine cli =
      ParseCommandLine(argc, argv, role.info.program(), ExporterRuntime::Flags(collectors));
  if (cli.exit_code) return *cli.exit_code;
  if (Status s = SetupLogging(cli.options.log_level, cli.options.log_format); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 2;
  }

  ExporterRuntime runtime(role.info, cli.options);
  ConfigHolder<Config> config(
      [&role](const std::string& text, const std::string& file) { return role.Parse(text, file); },
      role.DefaultConfig(), cli.options.config_file, &runtime.reload_state());
  if (cli.options.config_check) {
    auto parsed = config.Parse();
    if (!parsed) {
      std::cerr << parsed.error() << "\n";
      return 1;
    }
    std::cout << (cli.options.config_file.empty() ? "<embedded default>" : cli.options.config_file)
              << ": OK\n";
    return 0;
  }

  RoleDeps<Config> deps{runtime, config};
  runtime.AddCollectors(collectors, deps);
  // Collectors subscribed to the config above; the first load configures them.
  if (Status s = config.Reload(); !s.ok()) return 1;
  runtime.SetReloadHandler([&config] { return config.Reload(); });
  return runtime.Run();
}

}  // namespace vms
