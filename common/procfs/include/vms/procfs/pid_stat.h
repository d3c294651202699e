#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vms/base/status.h"

namespace vms {

// The fields of /proc/PID/stat this project uses. Times are in clock ticks.
struct PidStat {
  int pid = 0;
  std::string comm;
  char state = '?';
  int ppid = 0;
  std::uint64_t utime_ticks = 0;
  std::uint64_t stime_ticks = 0;
  std::int64_t num_threads = 0;
  std::uint64_t start_time_ticks = 0;  // since boot
  std::uint64_t vsize_bytes = 0;
  std::int64_t rss_pages = 0;
};

// Parses /proc/PID/stat. comm may hold spaces and parentheses, so the fields
// are found after the last ')'.
Result<PidStat> ParsePidStat(std::string_view text);

// The btime line of /proc/stat: boot time in seconds since the epoch.
Result<std::uint64_t> ParseBootTime(std::string_view proc_stat);

}  // namespace vms
