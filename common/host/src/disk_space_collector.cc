#include "vms/host/disk_space_collector.h"

#include <spdlog/spdlog.h>

#include <unordered_map>
#include <utility>

#include "vms/base/file.h"
#include "vms/procfs/mountinfo.h"

namespace vms {
namespace {

// Keeps the mounts to report, one per mount point: when a mount point is
// listed twice (a bind mount or a remount stacked on it), the later entry is
// on top and is what statvfs sees.
template <typename Excluded>
std::vector<MountInfo> SelectMounts(std::vector<MountInfo> mounts, const Excluded& excluded) {
  std::vector<MountInfo> selected;
  std::unordered_map<std::string, std::size_t> index;
  for (auto& m : mounts) {
    if (excluded(m.fstype, m.mount_point)) continue;
    if (auto it = index.find(m.mount_point); it != index.end()) {
      selected[it->second] = std::move(m);
      continue;
    }
    index.emplace(m.mount_point, selected.size());
    selected.push_back(std::move(m));
  }
  return selected;
}

}  // namespace

bool DiskSpaceCollector::Settings::Excluded(const std::string& fstype,
                                           const std::string& mount_point) const {
  // Containers come and go with mounts of their own: bound the memo.
  constexpr std::size_t kMaxMemo = 4096;
  std::string key = fstype;
  key.push_back('\0');
  key += mount_point;
  std::lock_guard lock(memo_mu);
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  const bool excluded = (fs_types_exclude && std::regex_search(fstype, *fs_types_exclude)) ||
                        (mount_points_exclude && std::regex_search(mount_point, *mount_points_exclude));
  if (memo.size() >= kMaxMemo) memo.clear();
  memo.emplace(std::move(key), excluded);
  return excluded;
}

DiskSpaceCollector::DiskSpaceCollector(std::string procfs_root, std::string rootfs_root,
                                       MountWatcher::StatFn stat)
    : procfs_root_(std::move(procfs_root)),
      rootfs_root_(std::move(rootfs_root)),
      watcher_(std::move(stat)) {
  Configure(DiskSpaceConfig{});
}

void DiskSpaceCollector::Configure(const DiskSpaceConfig& config) {
  auto s = std::make_shared<Settings>();
  s->mount_timeout = config.mount_timeout;
  if (!config.mount_points_exclude.empty()) {
    s->mount_points_exclude.emplace(config.mount_points_exclude);
  }
  if (!config.fs_types_exclude.empty()) s->fs_types_exclude.emplace(config.fs_types_exclude);
  std::lock_guard lock(mu_);
  settings_ = std::move(s);
}

std::shared_ptr<const DiskSpaceCollector::Settings> DiskSpaceCollector::settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

std::shared_ptr<const DiskSpaceCollector::MountTable> DiskSpaceCollector::mount_table() const {
  std::lock_guard lock(mu_);
  return mount_table_;
}

Result<std::shared_ptr<const DiskSpaceCollector::MountTable>> DiskSpaceCollector::ReadMounts(
    const std::shared_ptr<const Settings>& s) {
  auto text = ReadMountTable();
  if (!text) return text.status();
  // The table is read on every scrape (a file system remounted read-only
  // after errors shows only there), but it rarely changes: the same text
  // under the same settings selects the same mounts.
  if (auto last = mount_table(); last && last->settings == s && last->text == *text) return last;
  auto parsed = ParseMountInfo(*text);
  if (!parsed) return parsed.status();
  auto table = std::make_shared<MountTable>();
  table->text = std::move(*text);
  table->settings = s;
  table->mounts = SelectMounts(
      std::move(*parsed),
      [&s](const std::string& fstype, const std::string& mp) { return s->Excluded(fstype, mp); });
  table->paths.reserve(table->mounts.size());
  for (const auto& m : table->mounts) table->paths.push_back(JoinRoot(rootfs_root_, m.mount_point));
  std::shared_ptr<const MountTable> result = std::move(table);
  std::lock_guard lock(mu_);
  mount_table_ = result;
  return result;
}

Result<std::string> DiskSpaceCollector::ReadMountTable() const {
  const std::string self = JoinRoot(procfs_root_, "/self/mountinfo");
  if (rootfs_root_.empty() || rootfs_root_ == "/") return ReadFile(self);
  auto host = ReadFile(JoinRoot(procfs_root_, "/1/mountinfo"));
  if (host) return host;
  return ReadFile(self);
}

Status DiskSpaceCollector::Collect(const ScrapeContext& ctx, MetricWriter& out) {
  const auto started = std::chrono::steady_clock::now();
  const auto s = settings();
  // Each statvfs call is a wake-up of its mount's thread and a wait for it:
  // start them for the mounts of the last scrape before reading the mount
  // table, so that they run meanwhile. The answers are still this scrape's.
  if (auto last = mount_table()) watcher_.Start(last->paths, s->mount_timeout, started);
  auto table = ReadMounts(s);
  if (!table) return table.status();
  const std::vector<MountInfo>& mounts = (*table)->mounts;
  const auto answers = watcher_.StatAll((*table)->paths, s->mount_timeout, ctx.deadline, started);

  auto total = out.Gauge("disk_space_total_bytes", "Size of the file system in bytes (statvfs).");
  auto free = out.Gauge("disk_space_free_bytes",
                        "Bytes available to unprivileged writers (statvfs f_bavail); the "
                        "recorder's view of how much room is left.");
  auto used = out.Gauge("disk_space_used_bytes",
                        "Bytes in use: size minus all free blocks (f_bfree). Blocks reserved for "
                        "root are neither used nor free, so used + free can be less than total.");
  auto inodes_total = out.Gauge("disk_inodes", "Inodes in the file system (statvfs).");
  auto inodes_free = out.Gauge("disk_inodes_free",
                               "Free inodes; segment-heavy disks can run out of inodes before "
                               "bytes.");
  auto readonly = out.Gauge("disk_mount_readonly",
                            "1 if the file system is read-only (its superblock; a disk "
                            "remounted read-only after errors stops recording).");
  auto stale = out.Gauge("disk_mount_stale",
                         "1 if statvfs did not answer within the mount timeout (dead NFS server, "
                         "hung FUSE daemon); its size series are left out until it answers.");

  std::vector<MountRow> rows;
  std::vector<std::string> errors;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    const MountInfo& m = mounts[i];
    const MountWatcher::Answer& a = answers[i];
    const std::string_view mp = m.mount_point;
    // The superblock says whether the file system itself is read-only (as
    // after errors=remount-ro). Per-mount "ro" and statvfs's ST_RDONLY also
    // reflect bind mounts in the exporter's own namespace: systemd's
    // ProtectSystem=strict makes every mount read-only there, which would
    // report every disk as read-only.
    const bool ro = HasMountOption(m.super_options, "ro");
    std::string state = "ok";
    if (a.state == MountWatcher::State::kOk) {
      const Label labels[] = {{"mount_point", mp}, {"device", m.source}, {"fstype", m.fstype}};
      total.Add(labels, static_cast<double>(a.usage.size_bytes));
      free.Add(labels, static_cast<double>(a.usage.free_bytes));
      used.Add(labels, static_cast<double>(a.usage.used_bytes));
      inodes_total.Add({{"mount_point", mp}}, static_cast<double>(a.usage.inodes_total));
      inodes_free.Add({{"mount_point", mp}}, static_cast<double>(a.usage.inodes_free));
    } else if (a.state == MountWatcher::State::kStale) {
      state = "stale";
    } else {
      state = "error";
      ++failed;
    }
    readonly.Add({{"mount_point", mp}}, ro ? 1 : 0);
    stale.Add({{"mount_point", mp}}, a.state == MountWatcher::State::kStale ? 1 : 0);
    if (ro && state == "ok") state = "read-only";
    rows.push_back({m.mount_point, m.source, m.fstype, state});
    errors.push_back(a.error);
  }
  NoteStates(rows, errors);
  if (failed > 0 && failed == mounts.size()) {
    return Status::Error("statvfs failed on every mount (" + std::to_string(failed) + "), e.g. " +
                         answers.front().error);
  }
  return Status::Ok();
}

// Logs changes only: a stuck mount is reported once, not on every scrape.
void DiskSpaceCollector::NoteStates(const std::vector<MountRow>& rows,
                                    const std::vector<std::string>& errors) {
  std::lock_guard lock(mu_);
  std::map<std::string, std::string> states;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const MountRow& r = rows[i];
    states[r.mount_point] = r.state;
    const auto it = states_.find(r.mount_point);
    const std::string before = it == states_.end() ? "ok" : it->second;
    if (before == r.state) continue;
    if (r.state == "stale") {
      spdlog::warn("mount {} is stale: statvfs did not answer within the mount timeout",
                   r.mount_point);
    } else if (r.state == "error") {
      spdlog::warn("mount {}: {}", r.mount_point, errors[i]);
    } else if (r.state == "read-only" && it != states_.end()) {
      spdlog::warn("mount {} is now read-only", r.mount_point);
    } else if (before == "stale" || before == "error") {
      spdlog::info("mount {} answers statvfs again", r.mount_point);
    }
  }
  states_ = std::move(states);
  last_rows_ = rows;
}

void DiskSpaceCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  StatusTable t{"Mounts", {"mount point", "device", "type", "state"}, {}};
  {
    std::lock_guard lock(mu_);
    for (const auto& r : last_rows_) t.rows.push_back({r.mount_point, r.device, r.fstype, r.state});
  }
  tables.push_back(std::move(t));
}

}  // namespace vms
