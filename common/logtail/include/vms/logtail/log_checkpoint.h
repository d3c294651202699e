#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms {

// Where a LogFollower is in one file: which file (device and inode, so a
// rename does not confuse it), how far it has handed lines on, and a
// fingerprint of the file's first bytes, so a file truncated and written
// again past the offset (copytruncate between two looks) or an inode reused
// by a new file is told from the file it was.
struct FileCheckpoint {
  std::uint64_t dev = 0;
  std::uint64_t inode = 0;
  // The end of the last line handed on (an incomplete line after it is read
  // again), or, when `skipping`, where reading stopped inside an over-long
  // line whose rest is still to be skipped.
  std::uint64_t offset = 0;
  bool skipping = false;
  std::uint32_t head_length = 0;  // bytes the fingerprint covers (0: none yet)
  std::uint64_t head_hash = 0;    // FNV-1a of them

  bool operator==(const FileCheckpoint&) const = default;
};

// A follower's whole position: the file at its path, and the files renamed
// away from it (rotated) whose ends it is still reading, oldest first.
struct LogCheckpoint {
  std::optional<FileCheckpoint> current;
  std::vector<FileCheckpoint> draining;

  bool operator==(const LogCheckpoint&) const = default;
};

// A small text file:
//   vms-logtail-checkpoint 1
//   draining DEV INODE OFFSET SKIPPING HEAD_LENGTH HEAD_HASH
//   current DEV INODE OFFSET SKIPPING HEAD_LENGTH HEAD_HASH
std::string FormatLogCheckpoint(const LogCheckpoint& checkpoint);
Result<LogCheckpoint> ParseLogCheckpoint(std::string_view text);

// The checkpoint file of the log at `log_path` in `state_dir`: the log's
// base name (for people) and a hash of its whole path (so two logs of one
// name in different directories do not share one).
std::string CheckpointPath(const std::string& state_dir, const std::string& log_path);

// Reads a checkpoint file; nullopt when there is none.
Result<std::optional<LogCheckpoint>> ReadLogCheckpoint(const std::string& path);
// Writes through a temporary file renamed over the old one, so a crash
// leaves the old checkpoint or the new, never half of one. No fsync: after
// a power loss the follower may read a few seconds of lines again.
Status WriteLogCheckpoint(const std::string& path, const LogCheckpoint& checkpoint);

// FNV-1a, 64 bits: the fingerprint of a file's first bytes. Incremental:
// Fnv1a64(b, Fnv1a64(a)) == Fnv1a64(a + b).
inline constexpr std::uint64_t kFnv1a64Basis = 0xcbf29ce484222325ull;
std::uint64_t Fnv1a64(std::string_view bytes, std::uint64_t state = kFnv1a64Basis);

}  // namespace vms
