#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vms {

// What --help and --version say of the program, and where it listens unless
// told otherwise.
struct ProgramInfo {
  std::string binary;          // "recording_node_exporter"
  std::string description;     // one line for --help
  std::string default_listen;  // ":9090"
};

struct CollectorFlag {
  std::string name;
  std::string help;
  bool enabled_by_default = true;
};

// The flags every role shares, named as node_exporter names them.
struct CommonOptions {
  std::string listen_address;
  std::string web_config_file;
  std::string telemetry_path = "/metrics";
  std::size_t max_requests = 40;
  double scrape_timeout_offset_seconds = 0.5;
  std::string config_file;
  bool config_check = false;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string path_procfs = "/proc";
  std::string path_sysfs = "/sys";
  std::string path_rootfs = "/";
  std::map<std::string, bool> collectors;  // name → enabled

  bool CollectorEnabled(const std::string& name) const {
    auto it = collectors.find(name);
    return it != collectors.end() && it->second;
  }
};

struct CommandLine {
  CommonOptions options;
  // Set when the process should exit now (--help, --version, a bad flag).
  std::optional<int> exit_code;
};

// Parses argv with CLI11. Each collector gets --collector.NAME and
// --no-collector.NAME.
CommandLine ParseCommandLine(int argc, const char* const* argv, const ProgramInfo& program,
                             const std::vector<CollectorFlag>& collectors);

}  // namespace vms
