#include "vms/host/mount_watcher.h"
#include "vms/base/thread_name.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <set>
#include <system_error>
#include <thread>

namespace vms {

Result<FsUsage> StatFileSystem(const std::string& path) {
  struct statvfs st {};
  int rc;
  do {
    rc = ::statvfs(path.c_str(), &st);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return Status::Error("statvfs " + path + ": " + std::strerror(errno));
  const std::uint64_t unit = st.f_frsize != 0 ? st.f_frsize : st.f_bsize;
  FsUsage u;
  u.size_bytes = static_cast<std::uint64_t>(st.f_blocks) * unit;
  u.free_bytes = static_cast<std::uint64_t>(st.f_bavail) * unit;
  u.used_bytes = static_cast<std::uint64_t>(st.f_blocks - std::min(st.f_bfree, st.f_blocks)) * unit;
  u.inodes_total = st.f_files;
  u.inodes_free = st.f_ffree;
  u.readonly = (st.f_flag & ST_RDONLY) != 0;
  return u;
}

// Shared by the watcher and the worker thread, which may outlive the watcher.
struct MountWatcher::Call {
  std::chrono::steady_clock::time_point started;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;                                       // guarded by mu
  Result<FsUsage> result = Status::Error("not answered");  // guarded by mu

  bool Done() {
    std::lock_guard lock(mu);
    return done;
  }
  void Finish(Result<FsUsage> r) {
    {
      std::lock_guard lock(mu);
      result = std::move(r);
      done = true;
    }
    cv.notify_all();
  }
};

// One mount's thread and its mailbox. Shared with the (detached) thread,
// which may outlive the watcher while a call is blocked in the kernel.
struct MountWatcher::Worker {
  std::mutex mu;
  std::condition_variable cv;
  std::shared_ptr<Call> next;  // guarded by mu
  bool quit = false;           // guarded by mu

  void Hand(std::shared_ptr<Call> call) {
    {
      std::lock_guard lock(mu);
      next = std::move(call);
    }
    cv.notify_one();
  }
  void Quit() {
    {
      std::lock_guard lock(mu);
      quit = true;
    }
    cv.notify_one();
  }
  void Run(const StatFn& stat, const std::string& path) {
    for (;;) {
      std::shared_ptr<Call> call;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return quit || next != nullptr; });
        if (quit) return;
        call = std::exchange(next, nullptr);
      }
      call->Finish(stat(path));
    }
  }
};

MountWatcher::MountWatcher(StatFn stat) : stat_(std::move(stat)) {}

MountWatcher::~MountWatcher() {
  std::lock_guard lock(mu_);
  for (auto& [path, worker] : workers_) worker->Quit();
}

std::shared_ptr<MountWatcher::Call> MountWatcher::StartOrJoin(
    const std::string& path, std::chrono::milliseconds timeout,
    std::chrono::steady_clock::time_point since, bool& stale) {
  const auto now = std::chrono::steady_clock::now();
  if (auto it = calls_.find(path); it != calls_.end()) {
    if (!it->second->Done()) {
      // A call younger than the timeout is shared by concurrent scrapes; an
      // older one is stuck, and starting another would only pile up threads.
      stale = now - it->second->started >= timeout;
      return it->second;
    }
    if (it->second->started >= since) return it->second;  // answered, and recent enough
  }
  auto call = std::make_shared<Call>();
  call->started = now;
  auto& worker = workers_[path];
  if (worker == nullptr) {
    worker = std::make_shared<Worker>();
    try {
      std::thread([worker, stat = stat_, path] {
        NameThisThread("vms-statvfs");
        worker->Run(stat, path);
      }).detach();
    } catch (const std::system_error& e) {
      worker = nullptr;
      workers_.erase(path);
      call->Finish(Status::Error("starting a statvfs thread for " + path + ": " + e.what()));
      calls_[path] = call;
      return call;
    }
  }
  worker->Hand(call);
  calls_[path] = call;
  return call;
}

void MountWatcher::Start(const std::vector<std::string>& paths, std::chrono::milliseconds timeout,
                         std::chrono::steady_clock::time_point since) {
  std::lock_guard lock(mu_);
  for (const auto& path : paths) {
    bool stale = false;
    StartOrJoin(path, timeout, since, stale);
  }
}

std::vector<MountWatcher::Answer> MountWatcher::StatAll(
    const std::vector<std::string>& paths, std::chrono::milliseconds timeout,
    std::chrono::steady_clock::time_point deadline,
    std::optional<std::chrono::steady_clock::time_point> since) {
  const auto answered_since = since.value_or(std::chrono::steady_clock::now());
  std::vector<std::shared_ptr<Call>> calls(paths.size());
  std::vector<Answer> answers(paths.size());
  {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      bool stale = false;
      calls[i] = StartOrJoin(paths[i], timeout, answered_since, stale);
      if (stale) {
        answers[i].state = State::kStale;
        calls[i] = nullptr;
      }
    }
    // Forget answered calls of mounts that are gone, so the map holds only
    // current mounts and stuck calls.
    const std::set<std::string> wanted(paths.begin(), paths.end());
    std::erase_if(calls_, [&](const auto& entry) {
      return !wanted.contains(entry.first) && entry.second->Done();
    });
    // A worker of a mount that is gone ends (after its call, if stuck).
    std::erase_if(workers_, [&](const auto& entry) {
      if (wanted.contains(entry.first) || calls_.contains(entry.first)) return false;
      entry.second->Quit();
      return true;
    });
  }
  // Calls run in parallel, so the whole wait is bounded by one timeout.
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (calls[i] == nullptr) continue;
    Call& call = *calls[i];
    std::unique_lock lock(call.mu);
    if (!call.cv.wait_until(lock, std::min(call.started + timeout, deadline),
                            [&] { return call.done; })) {
      answers[i].state = State::kStale;
      continue;
    }
    if (call.result.ok()) {
      answers[i].state = State::kOk;
      answers[i].usage = *call.result;
    } else {
      answers[i].state = State::kError;
      answers[i].error = call.result.error();
    }
  }
  return answers;
}

std::size_t MountWatcher::Outstanding() const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(
      std::count_if(calls_.begin(), calls_.end(), [](const auto& e) { return !e.second->Done(); }));
}

}  // namespace vms
