#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms {

// What one scrape knows of one process. (pid, start_time_ticks) identifies
// it: a pid alone is reused by unrelated programs.
struct ProcessRecord {
  int pid = 0;
  int ppid = 0;
  std::uint64_t start_time_ticks = 0;  // since boot, from stat
  char state = '?';                    // Z (zombie) and X (dead) are not running
  std::string comm;                    // from stat: the same string as /proc/PID/comm
  // The /proc/PID/exe target without " (deleted)"; empty when not read,
  // unreadable or gone.
  std::string exe;
  std::string cmdline;            // arguments joined by single spaces; empty when not read
  double cpu_seconds = 0;         // utime + stime
  double start_time_seconds = 0;  // since the epoch
  std::int64_t threads = 0;
  // Filled by ProcessTable::ReadDetails, for processes a group matched.
  std::uint64_t resident_bytes = 0;       // VmRSS of /proc/PID/status; 0 for zombies
  std::optional<std::uint64_t> open_fds;  // absent when fd/ is unreadable

  bool running() const { return state != 'Z' && state != 'X'; }
};

// Which costly per-process reads Read() does for every process; stat is
// always read.
struct ProcessFields {
  bool exe = false;
  bool cmdline = false;
};

// A snapshot of <procfs>/[0-9]*, read once per scrape.
//
// Processes come and go while the directory is walked: one that vanishes
// between readdir and a read of its files is skipped (or keeps what was read
// before it vanished), never an error. Without root (or CAP_SYS_PTRACE) the
// exe link and fd/ of other users' processes cannot be read: exe stays empty
// (so an `exe` pattern cannot match them) and open_fds is absent. stat,
// cmdline and status are world-readable. /proc/PID/io is not read, since a
// non-root exporter could read it only for its own user.
class ProcessTable {
 public:
  // Errors only when <procfs> cannot be listed or its boot time is unknown.
  static Result<ProcessTable> Read(const std::string& procfs_root, ProcessFields fields);

  std::vector<ProcessRecord>& processes() { return processes_; }
  const std::vector<ProcessRecord>& processes() const { return processes_; }

  // Reads resident memory and the open fd count of one process. Costly (fd/
  // may hold thousands of entries), so done only for processes a group
  // matched. Tolerates the process having gone.
  void ReadDetails(ProcessRecord& process) const;

 private:
  explicit ProcessTable(std::string procfs_root) : procfs_root_(std::move(procfs_root)) {}

  std::string procfs_root_;
  std::vector<ProcessRecord> processes_;
};

// /proc/PID/cmdline (NUL-terminated arguments) as one line joined by spaces.
std::string JoinCmdline(std::string_view raw);

// The VmRSS line of /proc/PID/status in bytes; absent for zombies and kernel
// threads, which have none.
std::optional<std::uint64_t> ParseStatusRssBytes(std::string_view status);

}  // namespace vms
