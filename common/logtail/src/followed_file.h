#pragma once

// A file a LogFollower has open, and the file-level steps it takes on it.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "vms/base/status.h"
#include "vms/logtail/log_checkpoint.h"

namespace vms::logtail_internal {

// The fingerprint covers up to this many first bytes: enough to hold a
// timestamp or two, so two log files are never alike in it.
inline constexpr std::size_t kHeadBytes = 1024;

class FollowedFile {
 public:
  FollowedFile() = default;
  ~FollowedFile();
  FollowedFile(FollowedFile&& other) noexcept;
  FollowedFile& operator=(FollowedFile&& other) noexcept;

  // Opens `path` read-only and learns its device, inode and size.
  static Result<FollowedFile> Open(const std::string& path);

  int fd() const { return fd_; }
  bool SameFile(std::uint64_t dev, std::uint64_t inode) const {
    return pos.dev == dev && pos.inode == inode;
  }
  // fstat: the size now.
  Result<std::uint64_t> Size() const;
  // Whether the first pos.head_length bytes still hash to pos.head_hash
  // (true while there is no fingerprint yet). An I/O error is an error.
  Result<bool> HeadMatches() const;
  // Whether this file's first bytes are those of `head` (a copy's test).
  Result<bool> HeadMatches(const FileCheckpoint& head) const;
  // Takes a longer fingerprint when the file has grown past it, up to
  // kHeadBytes, reading the first bytes again: for a file not read from its
  // start (a first start at the end).
  Status ExtendHead(std::uint64_t size);
  // Extends the fingerprint with bytes just read at `offset`, when they
  // continue it: no second read, so no window in which the file can change
  // between reading the bytes and fingerprinting them.
  void ExtendHeadWith(std::uint64_t offset, std::string_view bytes);
  // Reads up to `n` bytes at the read position into `buf`; 0 at the end.
  Result<std::size_t> ReadAt(std::uint64_t offset, char* buf, std::size_t n) const;

  // pos.offset is the read position: the end of what was read, `partial`
  // included (the checkpoint subtracts it).
  FileCheckpoint pos;
  std::string partial;                                  // an incomplete last line
  std::uint64_t size = 0;                               // at the last look
  std::chrono::steady_clock::time_point drain_until{};  // files rotated away

  // The checkpoint of this file: where lines were handed on up to.
  FileCheckpoint Checkpoint() const;

 private:
  int fd_ = -1;
};

// Finds the file (dev, inode) among `preferred` (logrotate's `path.1`) and
// then the entries of `dir` (at most a few thousand are looked at), opened.
// nullopt when it is nowhere there.
std::optional<FollowedFile> FindByInode(const std::string& preferred, const std::string& dir,
                                        std::uint64_t dev, std::uint64_t inode);

std::string DirName(const std::string& path);

}  // namespace vms::logtail_internal
