#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms {

// One line of /proc/diskstats (Documentation/admin-guide/iostats.rst). Times
// are in milliseconds; sectors are 512 bytes whatever the device's sector size.
struct DiskStats {
  std::string device;
  std::uint64_t reads_completed = 0;
  std::uint64_t reads_merged = 0;
  std::uint64_t sectors_read = 0;
  std::uint64_t read_time_ms = 0;
  std::uint64_t writes_completed = 0;
  std::uint64_t writes_merged = 0;
  std::uint64_t sectors_written = 0;
  std::uint64_t write_time_ms = 0;
  std::uint64_t in_progress = 0;
  std::uint64_t io_time_ms = 0;
  std::uint64_t weighted_io_time_ms = 0;
};

// Parses /proc/diskstats. Lines have 14 fields (before Linux 4.18), 18
// (discards, 4.18) or 20 (flushes, 5.5); the first 14 are the same in all, so
// any line with at least 14 fields is read and the rest ignored. Fails on the
// first shorter or non-numeric line, naming it.
Result<std::vector<DiskStats>> ParseDiskStats(std::string_view text);

}  // namespace vms
