#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "vms/host/host_config.h"
#include "vms/host/mount_watcher.h"
#include "vms/procfs/mountinfo.h"
#include "vms/metrics/collector.h"

namespace vms {

// disk_space_*, disk_inodes, disk_inodes_free, disk_mount_readonly and disk_mount_stale per
// mounted file system. Mounts come from mountinfo, minus the pseudo file
// systems and mount points DiskSpaceConfig excludes; statvfs runs through a
// MountWatcher, so a dead NFS or FUSE mount is reported stale (and its size
// series left out) within the mount timeout instead of hanging the scrape.
//
// The mount table must describe the tree statvfs walks: with the default
// rootfs "/" that is our own (<procfs>/self/mountinfo); with another rootfs
// (a container watching its host) it is the host's, <procfs>/1/mountinfo,
// falling back to self when that is unreadable.
class DiskSpaceCollector : public Collector {
 public:
  DiskSpaceCollector(std::string procfs_root, std::string rootfs_root,
                     MountWatcher::StatFn stat = &StatFileSystem);

  std::string_view name() const override { return "diskspace"; }
  Status Collect(const ScrapeContext& ctx, MetricWriter& out) override;
  void AppendStatus(std::vector<StatusTable>& tables) const override;

  // Safe while scrapes run; regexes are compiled here, not per scrape.
  // Throws std::regex_error (the config reader has already validated them).
  void Configure(const DiskSpaceConfig& config);

 private:
  struct Settings {
    std::chrono::milliseconds mount_timeout;
    std::optional<std::regex> mount_points_exclude;  // empty pattern: none
    std::optional<std::regex> fs_types_exclude;      // empty pattern: none

    // std::regex costs microseconds a match and the mount table rarely
    // changes, so each (fstype, mount point) is decided once per config.
    bool Excluded(const std::string& fstype, const std::string& mount_point) const;
    mutable std::mutex memo_mu;
    mutable std::unordered_map<std::string, bool> memo;  // guarded by memo_mu
  };
  struct MountRow {
    std::string mount_point, device, fstype, state;
  };
  // The mounts a mountinfo text selects under some settings.
  struct MountTable {
    std::string text;
    std::shared_ptr<const Settings> settings;
    std::vector<MountInfo> mounts;
    std::vector<std::string> paths;  // statvfs'd: mount points under the rootfs
  };

  std::shared_ptr<const Settings> settings() const;
  std::shared_ptr<const MountTable> mount_table() const;
  Result<std::string> ReadMountTable() const;
  Result<std::shared_ptr<const MountTable>> ReadMounts(const std::shared_ptr<const Settings>& s);
  void NoteStates(const std::vector<MountRow>& rows, const std::vector<std::string>& errors);

  const std::string procfs_root_;
  const std::string rootfs_root_;
  MountWatcher watcher_;
  mutable std::mutex mu_;
  std::shared_ptr<const Settings> settings_;       // guarded by mu_
  std::map<std::string, std::string> states_;      // guarded by mu_; mount point → state
  std::vector<MountRow> last_rows_;                // guarded by mu_; for the landing page
  std::shared_ptr<const MountTable> mount_table_;  // guarded by mu_; the last scrape's
};

}  // namespace vms
