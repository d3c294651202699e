#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "vms/procfs/process_table.h"
#include "vms/metrics/metric_writer.h"

namespace vms {

// What a group's series say after a scrape.
struct ProcessGroupStats {
  bool up = false;               // a matched process is running (not Z or X)
  double cpu_seconds_total = 0;  // never decreases, across restarts
  std::uint64_t restarts_total = 0;
  std::uint64_t resident_bytes = 0;       // running processes
  std::int64_t threads = 0;               // running processes
  std::optional<std::uint64_t> open_fds;  // absent when a running process's fd/ is unreadable
  double start_time_seconds = 0;          // oldest running process; 0 when none runs
  std::size_t processes = 0;              // running processes
};

// Names of the families a tracker writes: `<prefix>_up{<label>="key"}`, ...
// ("service_process" / "service" for host services, "ffmpeg_process" /
// "camera_id" for recorders).
struct ProcessGroupMetricNames {
  std::string prefix;
  std::string label;
};

// Follows groups of processes across scrapes. A group has a string key and
// is fed, at each scrape, the processes that match it; matching is the
// caller's (see ProcessMatcher). Not thread-safe: the owner serialises calls.
//
// A process is (pid, start time): the same pid with another start time is a
// new process, so PID reuse is never mistaken for the old process. A
// restart is a new process appearing after the group has seen one, unless
// its parent is in the group (an nginx master forking workers is not
// restarting). CPU of processes that went away is kept, so the CPU counter
// stays monotonic across restarts.
class ProcessGroupTracker {
 public:
  // Updates `key` with this scrape's matched processes (any order) and
  // returns its stats. A key not seen before starts from zero.
  const ProcessGroupStats& Observe(const std::string& key,
                                   std::span<const ProcessRecord* const> matched);

  // Forgets every group whose key is not in `keys` (removed by config):
  // its series go and its counters would restart from zero.
  void Retain(const std::set<std::string, std::less<>>& keys);

  // Stats of `key` as of its last Observe; null when unknown.
  const ProcessGroupStats* Find(std::string_view key) const;

  // Writes one family per metric with a series for every known group.
  void Write(MetricWriter& out, const ProcessGroupMetricNames& names) const;

 private:
  struct Identity {
    int pid = 0;
    std::uint64_t start_time_ticks = 0;
    auto operator<=>(const Identity&) const = default;
  };
  struct Group {
    bool seen_any = false;
    std::map<Identity, double> cpu_seconds;  // of the processes present last scrape
    double departed_cpu_seconds = 0;         // of processes that went away
    ProcessGroupStats stats;
  };

  std::map<std::string, Group, std::less<>> groups_;
};

}  // namespace vms
