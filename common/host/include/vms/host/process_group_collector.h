#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/host/host_config.h"
#include "vms/host/process_classifier.h"
#include "vms/host/process_group_tracker.h"
#include "vms/metrics/collector.h"

namespace vms {

// <prefix>_{up,cpu_seconds_total,...}{<label>} for configured process
// groups: reads <procfs> once per scrape, sorts processes into groups with a
// ProcessClassifier, and follows each group with a ProcessGroupTracker
// (identity, restarts, monotonic CPU).
// Every configured group always has its series: up 0 when nothing runs,
// counters keep their values.
//
// Without root, other users' processes still count (stat, cmdline and
// status are world-readable) but their exe cannot be read, so an `exe`
// pattern does not match them, and their fd/ cannot be listed, so the
// group's open_fds is left out (see ProcessTable). With /proc mounted
// hidepid=2 they are invisible.
class ProcessGroupCollector : public Collector {
 public:
  struct Options {
    std::string collector_name = "processes";
    ProcessGroupMetricNames names{"service_process", "service"};
    // When true, Collect() only writes what the last Refresh() saw and the
    // owner calls Refresh() on a thread of its own: reading /proc for every
    // process is the costliest part of a scrape with many groups, and
    // /proc/PID/cmdline can block while a process's memory map is locked.
    bool refresh_in_background = false;
    std::string status_title = "Processes";  // of the landing page's table
  };

  explicit ProcessGroupCollector(std::string procfs_root)
      : ProcessGroupCollector(procfs_root, {}) {}
  ProcessGroupCollector(std::string procfs_root, Options options);

  std::string_view name() const override { return options_.collector_name; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  // With refresh_in_background, the text is rendered once per refresh or
  // configuration and reused by the scrapes in between.
  Status CollectText(const ScrapeContext& ctx, std::string& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

  // Safe while scrapes run. A group that stays keeps its counters; a group
  // removed loses its series. Regexes are compiled here, not per scrape.
  // Throws std::regex_error (the config reader has already validated them).
  void Configure(const std::vector<ProcessGroupConfig>& groups);

  // Reads <procfs> and moves every group's state forward. Called by
  // Collect() unless refresh_in_background is set.
  Status Refresh();
  // The same with a table the caller has read (with at least needs()), so an
  // owner that reads /proc for other reasons reads it once.
  Status Refresh(Result<ProcessTable>& table);
  // What the groups' patterns read beyond stat.
  ProcessFields needs() const;

  // The group's stats as of the last scrape; nullopt before one or when unknown.
  std::optional<ProcessGroupStats> Stats(std::string_view key) const;

 private:
  const std::string procfs_root_;
  const Options options_;
  mutable std::mutex mu_;
  std::vector<std::string> keys_;  // guarded by mu_
  ProcessClassifier classifier_;   // guarded by mu_: parallel to keys_
  ProcessGroupTracker tracker_;    // guarded by mu_
  Status last_refresh_;            // guarded by mu_
  // Moves with every Refresh() and Configure(): the families' inputs.
  std::uint64_t generation_ = 0;                  // guarded by mu_
  std::optional<std::uint64_t> text_generation_;  // guarded by mu_: what text_ shows
  std::string text_;                              // guarded by mu_
};

}  // namespace vms
