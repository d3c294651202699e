#pragma once

#include <iostream>

#include <spdlog/spdlog.h>

#include "vms/app/exporter_runtime.h"
#include "vms/cli/command_line.h"
#include "vms/config/config_holder.h"
#include "vms/log/logging.h"

namespace vms {

// What a role's collectors are built from.
template <typename Config>
struct RoleDeps {
  ExporterRuntime& runtime;
  ConfigHolder<Config>& config;
};

// The life of every exporter: flags, logging, config, collectors, serve.
// Role provides: Config, kInfo, kDefaultConfig, Parse(text, file) and
// Collectors() (its table of CollectorSpec<RoleDeps<Config>>).
// Limits glibc's malloc arenas (see tune_malloc.cc for the trade-off).
void TuneMalloc();

template <typename Role>
int RunExporter(int argc, const char* const* argv) {
  TuneMalloc();
  using Config = typename Role::Config;
  const auto collectors = Role::Collectors();
  CommandLine cli = ParseCommandLine(argc, argv, Role::kInfo.program(), ExporterRuntime::Flags(collectors));
  if (cli.exit_code) return *cli.exit_code;
  if (Status s = SetupLogging(cli.options.log_level, cli.options.log_format); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 2;
  }

  ExporterRuntime runtime(Role::kInfo, cli.options);
  ConfigHolder<Config> config(&Role::Parse, Role::kDefaultConfig, cli.options.config_file,
                              &runtime.reload_state());
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
