#include "vms/cli/command_line.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "vms/version.h"

namespace vms {

CommandLine ParseCommandLine(int argc, const char* const* argv, const ProgramInfo& program,
                             const std::vector<CollectorFlag>& collectors) {
  CommandLine result;
  auto& o = result.options;
  o.listen_address = program.default_listen;

  CLI::App app(program.description, program.binary);
  app.get_formatter()->column_width(44);
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");
  app.add_option("--web.listen-address", o.listen_address, "Address to listen on")
      ->capture_default_str();
  app.add_option("--web.config.file", o.web_config_file,
                 "Exporter-toolkit web config (TLS, basic auth); re-read when it changes");
  app.add_option("--web.telemetry-path", o.telemetry_path, "Path of the metrics endpoint")
      ->capture_default_str();
  app.add_option("--web.max-requests", o.max_requests,
                 "Maximum concurrent scrapes; 0 disables the limit")
      ->capture_default_str();
  app.add_option("--web.timeout-offset", o.scrape_timeout_offset_seconds,
                 "Seconds subtracted from Prometheus' scrape timeout header")
      ->capture_default_str();
  app.add_option("--config.file", o.config_file,
                 "YAML configuration; without it the embedded default is used");
  app.add_flag("--config.check", o.config_check, "Validate the configuration and exit");
  app.add_option("--log.level", o.log_level, "debug, info, warn or error")->capture_default_str();
  app.add_option("--log.format", o.log_format, "logfmt or json")->capture_default_str();
  app.add_option("--path.procfs", o.path_procfs, "procfs mount point")->capture_default_str();
  app.add_option("--path.sysfs", o.path_sysfs, "sysfs mount point")->capture_default_str();
  app.add_option("--path.rootfs", o.path_rootfs, "Root of the host file system")
      ->capture_default_str();

  for (const auto& c : collectors) {
    o.collectors[c.name] = c.enabled_by_default;
    const std::string flag = "--collector." + c.name + ",!--no-collector." + c.name;
    app.add_flag(flag, o.collectors[c.name],
                 c.help + (c.enabled_by_default ? " (default: enabled)" : " (default: disabled)"));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    result.exit_code = app.exit(e);
    return result;
  }
  if (version) {
    std::cout << program.binary << ", version " << kVersion << " (revision " << kRevision << ")\n";
    result.exit_code = 0;
  }
  return result;
}

}  // namespace vms
