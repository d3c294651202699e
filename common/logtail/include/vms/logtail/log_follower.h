#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>

namespace vms {

struct LogFollowerOptions {
  // Longer lines are counted (lines_too_long) and skipped to their newline,
  // never held whole.
  std::size_t max_line_bytes = 16 * 1024;
  // With no checkpoint to resume from, a file there at the first start is
  // read from its end (true) or its beginning. A file that appears later is
  // always read from its beginning: all of it is new.
  bool start_at_end = true;
  // How often the file is looked at without an inotify event: a backstop
  // for file systems without inotify (NFS) and for renames to other
  // directories. Tests make it short.
  std::chrono::milliseconds poll_interval{1000};
  // Where the checkpoint file goes; empty: no checkpoint (every start is a
  // first start).
  std::string state_dir;
  // The checkpoint is written at most this often while lines flow, at
  // every rotation, and on Stop(). A crash reads again at most this much.
  std::chrono::milliseconds checkpoint_interval{1000};
  // How long a file renamed away is still read after a new file appeared
  // at the path: nginx's workers reopen their logs a moment after USR1
  // and write their last lines to the old file meanwhile.
  std::chrono::milliseconds rotate_wait{5000};
  // Most lines handed to the consumer in one call.
  std::size_t max_batch_lines = 256;

  bool operator==(const LogFollowerOptions&) const = default;
};

// What a follower has done, for self metrics. Counters only grow.
struct LogFollowerStats {
  std::uint64_t lines = 0;             // complete lines handed to the consumer
  std::uint64_t bytes = 0;             // bytes read, including skipped ones
  std::uint64_t lines_too_long = 0;    // over max_line_bytes, skipped
  std::uint64_t lines_incomplete = 0;  // a last line without its newline left in a
                                       // file that was rotated away or truncated
  std::uint64_t parse_errors = 0;      // reported by the consumer (AddParseErrors)
  std::uint64_t rotations_rename = 0;
  std::uint64_t rotations_truncate = 0;
  std::uint64_t lag_bytes = 0;  // file size minus offset, over the files being read
  // 0 while the follower keeps up; otherwise the seconds since it last had
  // read every file to its end, which bounds the age of the oldest unread
  // byte. Measured by the follower's own progress, not the file's mtime, so
  // a read stuck on slow storage shows here too (the byte lag, which needs
  // a stat, cannot tell then).
  double lag_seconds = 0;
  bool file_present = false;  // the file at the path exists and is open
};

// Follows the file at a path as `tail -F` would, for logs that are rotated:
//  - by (device, inode): when the path names a new file (logrotate renamed
//    the old one and nginx reopened on USR1), the old file is read to its
//    end, and for rotate_wait after, before and while the new one is read
//    from its start;
//  - copytruncate (size below the offset, or the first bytes changed) starts
//    again at 0, after reading what the copy (`path.1`) holds past the
//    offset, when it has the same first bytes;
//  - a last line without its newline is held until it is complete;
//  - a missing file is reported (file_present) and picked up when it appears.
// A checkpoint (LogCheckpoint) in state_dir lets a restart go on where the
// last run stopped: at the offset in the same file, or from the rotated file
// (found by inode as `path.1` or elsewhere in its directory) and then the
// new one.
//
// Start() runs it on a thread of its own, woken by inotify on the file's
// directory and every poll_interval: files may sit on slow storage, so never
// on the event loop or the scrape path. The consumer is called on that
// thread with complete lines (without '\n'), in order, in batches; the views
// are valid during the call only.
class LogFollower {
 public:
  using LineBatchFn = std::function<void(std::span<const std::string_view> lines)>;

  LogFollower(std::string path, LogFollowerOptions options, LineBatchFn consumer);
  ~LogFollower();  // Stop()
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

  void Start();
  // Wakes the thread, waits for it and writes the checkpoint. Lines already
  // read are handed on first; nothing is read after.
  void Stop();

  // One look at the files, reading everything new: what the thread does on
  // each wake-up. Tests call it directly instead of Start(). Not thread-safe
  // against the running thread.
  void Poll();

  // The consumer's count of lines it could not parse. Thread-safe.
  void AddParseErrors(std::uint64_t n);
  // Thread-safe; reads only counters (no I/O).
  LogFollowerStats Stats() const;

  const std::string& path() const { return path_; }

  struct State;  // opaque: the files open and the counters

 private:
  void Run();

  const std::string path_;
  const LogFollowerOptions options_;
  std::unique_ptr<State> state_;  // the files; touched by Poll() only
  std::thread thread_;
  int wake_fd_ = -1;  // eventfd that Stop() writes
};

}  // namespace vms
