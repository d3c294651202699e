#pragma once

// What a LogFollower keeps between passes, and one pass over its files: the
// follower's thread (log_follower.cc) runs a FollowerPass on each wake-up.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "followed_file.h"
#include "vms/logtail/log_checkpoint.h"
#include "vms/logtail/log_follower.h"

namespace vms {

inline constexpr std::size_t kReadChunk = 64 * 1024;

inline std::int64_t SteadyNanos(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

struct LogFollower::State {
  LineBatchFn consumer;
  std::string checkpoint_path;  // empty: none
  std::optional<logtail_internal::FollowedFile> current;
  std::vector<logtail_internal::FollowedFile> draining;  // oldest first
  bool restored = false;
  std::chrono::steady_clock::time_point last_checkpoint{};
  std::optional<LogCheckpoint> written;
  bool force_checkpoint = false;
  std::string problem;  // what is wrong with the path now, logged on change
  std::string checkpoint_problem;

  std::vector<char> chunk = std::vector<char>(kReadChunk);
  std::string joined;
  std::vector<std::string_view> batch;

  std::atomic<std::uint64_t> lines{0}, bytes{0}, too_long{0}, incomplete{0}, parse_errors{0},
      renames{0}, truncates{0}, lag_bytes{0};
  std::atomic<std::int64_t> caught_up_ns{0};
  std::atomic<bool> present{false};
};

// Reads what is new in the follower's files once (LogFollower::Poll()).
void RunFollowerPass(const std::string& path, const LogFollowerOptions& options,
                     LogFollower::State& state);

}  // namespace vms
