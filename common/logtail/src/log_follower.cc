#include "vms/logtail/log_follower.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "follower_state.h"
#include "vms/base/thread_name.h"
#include "vms/logtail/log_checkpoint.h"

namespace vms {

using Clock = std::chrono::steady_clock;

LogFollower::LogFollower(std::string path, LogFollowerOptions options, LineBatchFn consumer)
    : path_(std::move(path)), options_(std::move(options)), state_(std::make_unique<State>()) {
  state_->consumer = std::move(consumer);
  if (!options_.state_dir.empty()) {
    state_->checkpoint_path = CheckpointPath(options_.state_dir, path_);
  }
  state_->caught_up_ns.store(SteadyNanos(Clock::now()));
}

LogFollower::~LogFollower() { Stop(); }

void LogFollower::Poll() { RunFollowerPass(path_, options_, *state_); }

void LogFollower::Start() {
  if (thread_.joinable()) return;
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    spdlog::error("log file {}: eventfd: {}; not following it", path_, std::strerror(errno));
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void LogFollower::Stop() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    if (::write(wake_fd_, &one, sizeof one) != sizeof one) {
      spdlog::error("log file {}: waking its thread: {}", path_, std::strerror(errno));
    }
    thread_.join();
  }
  if (wake_fd_ >= 0) ::close(wake_fd_);
  wake_fd_ = -1;
  // Writes the checkpoint of what was handed on; reads nothing more.
  if (!state_->checkpoint_path.empty() && state_->restored) {
    LogCheckpoint c;
    for (const auto& f : state_->draining) c.draining.push_back(f.Checkpoint());
    if (state_->current) c.current = state_->current->Checkpoint();
    if (Status s = WriteLogCheckpoint(state_->checkpoint_path, c); !s.ok()) {
      spdlog::warn("log file {}: checkpoint not saved at stop: {}", path_, s.message());
    }
  }
}

void LogFollower::Run() {
  NameThisThread("logtail");
  const int inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0) {
    spdlog::warn("log file {}: inotify unavailable ({}); polling every {} ms", path_,
                 std::strerror(errno), options_.poll_interval.count());
  }
  const std::string dir = logtail_internal::DirName(path_);
  int watch = -1;
  alignas(inotify_event) char events[4096];
  while (true) {
    if (inotify_fd >= 0 && watch < 0) {
      // The directory, not the file: it sees the file created, renamed and
      // written, whichever inode the path names.
      watch = ::inotify_add_watch(inotify_fd, dir.c_str(),
                                  IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                      IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF);
    }
    Poll();
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {inotify_fd, POLLIN, 0}};
    const int n =
        ::poll(fds, inotify_fd >= 0 ? 2 : 1, static_cast<int>(options_.poll_interval.count()));
    if (n < 0 && errno != EINTR) {
      spdlog::error("log file {}: poll: {}; stopped following it", path_, std::strerror(errno));
      break;
    }
    if (fds[0].revents & POLLIN) break;
    if (inotify_fd >= 0 && (fds[1].revents & POLLIN)) {
      while (true) {
        const ssize_t got = ::read(inotify_fd, events, sizeof events);
        if (got <= 0) break;
        for (ssize_t at = 0; at < got;) {
          const auto* e = reinterpret_cast<const inotify_event*>(events + at);
          if (e->mask & IN_IGNORED) watch = -1;  // the directory went away
          at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
        }
      }
    }
  }
  if (inotify_fd >= 0) ::close(inotify_fd);
}

void LogFollower::AddParseErrors(std::uint64_t n) {
  state_->parse_errors.fetch_add(n, std::memory_order_relaxed);
}

LogFollowerStats LogFollower::Stats() const {
  const State& s = *state_;
  LogFollowerStats out;
  out.lines = s.lines.load(std::memory_order_relaxed);
  out.bytes = s.bytes.load(std::memory_order_relaxed);
  out.lines_too_long = s.too_long.load(std::memory_order_relaxed);
  out.lines_incomplete = s.incomplete.load(std::memory_order_relaxed);
  out.parse_errors = s.parse_errors.load(std::memory_order_relaxed);
  out.rotations_rename = s.renames.load(std::memory_order_relaxed);
  out.rotations_truncate = s.truncates.load(std::memory_order_relaxed);
  out.lag_bytes = s.lag_bytes.load(std::memory_order_relaxed);
  out.file_present = s.present.load(std::memory_order_relaxed);
  const double behind = static_cast<double>(SteadyNanos(Clock::now()) -
                                            s.caught_up_ns.load(std::memory_order_relaxed)) /
                        1e9;
  // One interval between looks is the normal gap, not lag.
  const double normal = 2 * std::chrono::duration<double>(options_.poll_interval).count();
  if (out.lag_bytes > 0 || behind > normal) out.lag_seconds = behind > 0 ? behind : 0;
  return out;
}

}  // namespace vms
