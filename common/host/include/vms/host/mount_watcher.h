#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "vms/base/status.h"

namespace vms {

// What statvfs says about one mounted file system.
struct FsUsage {
  std::uint64_t size_bytes = 0;
  std::uint64_t free_bytes = 0;  // available to unprivileged writers (f_bavail)
  std::uint64_t used_bytes = 0;  // size minus f_bfree (reserved blocks count as used)
  std::uint64_t inodes_total = 0;
  std::uint64_t inodes_free = 0;
  bool readonly = false;  // ST_RDONLY
};

// statvfs(2) on `path`, turned into FsUsage. May block forever on a dead NFS
// server or a hung FUSE daemon.
Result<FsUsage> StatFileSystem(const std::string& path);

// Runs statvfs off the caller's thread, so a scrape never blocks on a dead
// mount. Each path has at most one call outstanding: while it is, callers
// either wait for it (if it is younger than the timeout) or get kStale at once
// without starting another. So a stuck mount holds one blocked thread however
// many scrapes come, and is answered normally again once its call returns.
// Each mount has one long-lived worker thread, started the first time the
// mount is seen, so a scrape pays a wake-up per mount, not a thread start.
class MountWatcher {
 public:
  using StatFn = std::function<Result<FsUsage>(const std::string& path)>;

  enum class State { kOk, kStale, kError };
  struct Answer {
    State state = State::kError;
    FsUsage usage;      // kOk only
    std::string error;  // kError only
  };

  // `stat` is the test seam; it runs on worker threads and may outlive the
  // watcher (a call blocked in the kernel cannot be cancelled), so it must
  // not capture anything shorter-lived than itself.
  explicit MountWatcher(StatFn stat = &StatFileSystem);

  // Starts a call for every path, or joins one in flight or (with `since`)
  // answered by a call started at or after `since`, then waits for each
  // until `timeout` after its call started or `deadline`, whichever is
  // first. Answers are in the order of `paths`. Thread-safe.
  std::vector<Answer> StatAll(
      const std::vector<std::string>& paths, std::chrono::milliseconds timeout,
      std::chrono::steady_clock::time_point deadline,
      std::optional<std::chrono::steady_clock::time_point> since = std::nullopt);

  // Starts the calls StatAll(paths, timeout, ..., since) would start,
  // without waiting: a caller with other work to do before it needs the
  // answers lets the calls, and the thread wake-ups they take, run meanwhile.
  void Start(const std::vector<std::string>& paths, std::chrono::milliseconds timeout,
             std::chrono::steady_clock::time_point since);

  // Calls started and not yet returned: one per stuck mount.
  std::size_t Outstanding() const;

  ~MountWatcher();
  MountWatcher(const MountWatcher&) = delete;
  MountWatcher& operator=(const MountWatcher&) = delete;

 private:
  struct Call;
  struct Worker;
  std::shared_ptr<Call> StartOrJoin(const std::string& path, std::chrono::milliseconds timeout,
                                    std::chrono::steady_clock::time_point since, bool& stale);

  const StatFn stat_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Call>> calls_;      // guarded by mu_
  std::map<std::string, std::shared_ptr<Worker>> workers_;  // guarded by mu_
};

}  // namespace vms
