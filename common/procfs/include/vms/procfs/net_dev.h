#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms {

// One interface's line of /proc/net/dev (the counters this project exports).
struct NetDevStats {
  std::string interface;
  std::uint64_t receive_bytes = 0;
  std::uint64_t receive_packets = 0;
  std::uint64_t receive_errors = 0;
  std::uint64_t receive_drops = 0;
  std::uint64_t transmit_bytes = 0;
  std::uint64_t transmit_packets = 0;
  std::uint64_t transmit_errors = 0;
  std::uint64_t transmit_drops = 0;
};

// Parses /proc/net/dev, in file order. The two header lines carry no colon
// and are skipped; old kernels write "eth0:123" with no space, so the name
// ends at the first ':' (interface names cannot contain one).
Result<std::vector<NetDevStats>> ParseNetDev(std::string_view text);

}  // namespace vms
