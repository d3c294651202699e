#pragma once

#include <string>

#include "vms/cli/command_line.h"

namespace vms {

// Who a role is: its name (the build_info label), binary, port and what it
// watches, for --help, the landing page and the logs.
struct RoleInfo {
  std::string role;            // "recording_node"
  std::string binary;          // "recording_node_exporter"
  std::string default_listen;  // ":9090"
  std::string description;     // one line for --help and the landing page

  ProgramInfo program() const { return {binary, description, default_listen}; }
};

}  // namespace vms
