#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "follower_state.h"

namespace vms {

using logtail_internal::FollowedFile;
using Clock = std::chrono::steady_clock;

namespace {

// The steps of one Poll(), on the state of one follower.
class Pass {
 public:
  Pass(const std::string& path, const LogFollowerOptions& options, LogFollower::State& s)
      : path_(path), options_(options), s_(s), now_(Clock::now()) {}

  void Run() {
    if (!s_.restored) {
      Restore();
      s_.restored = true;
    } else {
      LookAtPath();
    }
    bool caught_up = true;
    std::uint64_t lag = 0;
    for (std::size_t i = 0; i < s_.draining.size();) {
      FollowedFile& f = s_.draining[i];
      caught_up &= ReadNew(f, lag, /*is_current=*/false);
      if (now_ >= f.drain_until) {
        if (!f.partial.empty()) s_.incomplete.fetch_add(1, std::memory_order_relaxed);
        s_.draining.erase(s_.draining.begin() + static_cast<std::ptrdiff_t>(i));
        s_.force_checkpoint = true;
      } else {
        ++i;
      }
    }
    if (s_.current) caught_up &= ReadNew(*s_.current, lag, /*is_current=*/true);
    s_.lag_bytes.store(lag, std::memory_order_relaxed);
    if (caught_up) s_.caught_up_ns.store(SteadyNanos(now_), std::memory_order_relaxed);
    if (!troubled_ && s_.current && s_.present.load(std::memory_order_relaxed)) Problem("");
    MaybeCheckpoint();
  }

 private:
  void Problem(std::string what) {
    if (!what.empty()) troubled_ = true;
    if (what == s_.problem) return;
    if (what.empty()) {
      spdlog::info("log file {}: following it again", path_);
    } else {
      spdlog::warn("log file {}: {}", path_, what);
    }
    s_.problem = std::move(what);
  }

  void Follow(FollowedFile f, std::uint64_t offset) {
    f.pos.offset = offset;
    // Started past the first bytes (at the end): fingerprint them now. From
    // the start, ReadToEnd takes them as it reads them.
    if (offset > 0) (void)f.ExtendHead(f.size);
    s_.current = std::move(f);
    s_.present.store(true, std::memory_order_relaxed);
    s_.force_checkpoint = true;
    Problem("");
  }

  // Opens the file at the path if it is there; nullopt (and the reason
  // reported) if not.
  std::optional<FollowedFile> OpenPath() {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0 && errno == ENOENT) {
      Missing();
      return std::nullopt;
    }
    auto f = FollowedFile::Open(path_);
    if (!f) {
      s_.present.store(false, std::memory_order_relaxed);
      Problem(f.error());
      return std::nullopt;
    }
    return std::move(*f);
  }

  void Missing() {
    s_.present.store(false, std::memory_order_relaxed);
    Problem("missing; waiting for it to appear");
  }

  // A first start, or a restart from the checkpoint.
  void Restore() {
    std::optional<LogCheckpoint> checkpoint;
    if (!s_.checkpoint_path.empty()) {
      auto read = ReadLogCheckpoint(s_.checkpoint_path);
      if (read) {
        checkpoint = std::move(*read);
      } else {
        spdlog::warn("log file {}: ignoring its checkpoint: {}", path_, read.error());
      }
    }
    if (!checkpoint) {
      if (auto f = OpenPath()) {
        const std::uint64_t start = options_.start_at_end ? f->size : 0;
        Follow(std::move(*f), start);
      }
      return;
    }
    std::vector<FileCheckpoint> files = checkpoint->draining;
    if (checkpoint->current) files.push_back(*checkpoint->current);
    struct stat st {};
    const bool at_path = ::stat(path_.c_str(), &st) == 0;
    for (const FileCheckpoint& c : files) {
      std::optional<FollowedFile> f;
      const bool is_path = at_path && st.st_dev == c.dev && st.st_ino == c.inode;
      if (is_path) {
        if (auto opened = FollowedFile::Open(path_); opened && opened->SameFile(c.dev, c.inode)) {
          f = std::move(*opened);
        }
      } else {
        f = logtail_internal::FindByInode(path_ + ".1", logtail_internal::DirName(path_), c.dev,
                                          c.inode);
      }
      if (!f) {
        spdlog::warn(
            "log file {}: the file it was reading at the last stop is gone; lines "
            "after offset {} in it are lost",
            path_, c.offset);
        continue;
      }
      auto same = f->HeadMatches(c);
      auto size = f->Size();
      if (!same || !size || !*same || *size < c.offset) {
        // Truncated (or a new file on a reused inode) while we were stopped.
        s_.truncates.fetch_add(1, std::memory_order_relaxed);
        if (!is_path) continue;
        f->pos.head_length = 0;
        Follow(std::move(*f), 0);
        continue;
      }
      f->pos = c;
      if (is_path) {
        s_.current = std::move(*f);
        s_.present.store(true, std::memory_order_relaxed);
      } else {
        f->drain_until = now_ + options_.rotate_wait;
        s_.draining.push_back(std::move(*f));
      }
    }
    // A file at the path that was not in the checkpoint came after it: all new.
    if (!s_.current) {
      if (auto f = OpenPath()) Follow(std::move(*f), 0);
    }
  }

  // Has the path been renamed away, removed, or replaced by a new file?
  void LookAtPath() {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
      // A file renamed away is still read (nginx writes to it until USR1).
      if (errno == ENOENT) {
        Missing();
      } else {
        s_.present.store(false, std::memory_order_relaxed);
        Problem(std::string("stat: ") + std::strerror(errno));
      }
      return;
    }
    if (s_.current && s_.current->SameFile(st.st_dev, st.st_ino)) {
      s_.present.store(true, std::memory_order_relaxed);
      return;
    }
    auto f = OpenPath();
    if (!f) return;
    if (s_.current && s_.current->SameFile(f->pos.dev, f->pos.inode)) return;  // raced back
    if (s_.current) {
      s_.renames.fetch_add(1, std::memory_order_relaxed);
      s_.current->drain_until = now_ + options_.rotate_wait;
      s_.draining.push_back(std::move(*s_.current));
      s_.current.reset();
    }
    Follow(std::move(*f), 0);
  }

  void Truncated(FollowedFile& f) {
    s_.truncates.fetch_add(1, std::memory_order_relaxed);
    s_.force_checkpoint = true;
    RecoverFromCopy(f);
    if (!f.partial.empty()) s_.incomplete.fetch_add(1, std::memory_order_relaxed);
    f.partial.clear();
    f.pos.offset = 0;
    f.pos.skipping = false;
    f.pos.head_length = 0;
    f.pos.head_hash = 0;
  }

  // logrotate's copytruncate copied the file to path.1 and then truncated
  // it: lines written after the last read and before the copy are in the
  // copy only. It is the copy if its first bytes are the file's.
  void RecoverFromCopy(FollowedFile& f) {
    if (f.pos.head_length == 0) return;
    auto copy = FollowedFile::Open(path_ + ".1");
    if (!copy || copy->SameFile(f.pos.dev, f.pos.inode)) return;
    auto same = copy->HeadMatches(f.pos);
    if (!same || !*same || copy->size <= f.pos.offset) return;
    copy->pos.offset = f.pos.offset;
    copy->pos.skipping = f.pos.skipping;
    copy->partial = std::move(f.partial);
    std::uint64_t ignored = 0;
    ReadToEnd(*copy, ignored, /*watch_head=*/false);
    f.partial = std::move(copy->partial);
  }

  // Reads what is new in `f`; false if it could not read to the end.
  bool ReadNew(FollowedFile& f, std::uint64_t& lag, bool is_current) {
    auto size = f.Size();
    if (!size) {
      Problem(size.error());
      return false;
    }
    if (*size < f.pos.offset) {
      if (!is_current) {
        f.drain_until = now_;  // a rotated file truncated: nothing left to drain
        return true;
      }
      Truncated(f);
    }
    f.size = *size;
    return ReadToEnd(f, lag, is_current);
  }

  // With `watch_head`, each chunk is used only if the file's first bytes are
  // still those it had: checked after the read, so a chunk read before a
  // copytruncate is kept and one read after it (new lines at an old offset)
  // is not. The first bytes are in the page cache: a microsecond a chunk.
  bool ReadToEnd(FollowedFile& f, std::uint64_t& lag, bool watch_head) {
    while (true) {
      auto n = f.ReadAt(f.pos.offset, s_.chunk.data(), s_.chunk.size());
      if (!n) {
        Problem(n.error());
        lag += f.size > f.pos.offset ? f.size - f.pos.offset : 0;
        return false;
      }
      if (*n == 0) break;
      if (watch_head) {
        auto same = f.HeadMatches();
        if (same && !*same) {
          Truncated(f);
          continue;
        }
        f.ExtendHeadWith(f.pos.offset, std::string_view(s_.chunk.data(), *n));
      }
      f.pos.offset += *n;
      s_.bytes.fetch_add(*n, std::memory_order_relaxed);
      // Published as it shrinks, so a scrape during a long backlog sees it.
      s_.lag_bytes.store(lag + (f.size > f.pos.offset ? f.size - f.pos.offset : 0),
                         std::memory_order_relaxed);
      Split(f, std::string_view(s_.chunk.data(), *n));
    }
    lag += f.size > f.pos.offset ? f.size - f.pos.offset : 0;
    return true;
  }

  // Hands on the complete lines of `data`, which follows f.partial.
  void Split(FollowedFile& f, std::string_view data) {
    const std::size_t max = options_.max_line_bytes;
    s_.batch.clear();
    std::size_t start = 0;
    while (true) {
      const std::size_t nl = data.find('\n', start);
      if (nl == std::string_view::npos) break;
      const std::string_view piece = data.substr(start, nl - start);
      start = nl + 1;
      if (f.pos.skipping) {  // the end of an over-long line
        f.pos.skipping = false;
        continue;
      }
      std::string_view line = piece;
      if (!f.partial.empty()) {
        if (f.partial.size() + piece.size() > max) {
          s_.too_long.fetch_add(1, std::memory_order_relaxed);
          f.partial.clear();
          continue;
        }
        // Only the first line of a chunk can continue the partial one, so
        // one joined string per chunk holds it until the batch is handed on.
        s_.joined.swap(f.partial);
        s_.joined.append(piece);
        f.partial.clear();
        line = s_.joined;
      } else if (piece.size() > max) {
        s_.too_long.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (line.empty()) continue;
      s_.batch.push_back(line);
      if (s_.batch.size() >= options_.max_batch_lines) Deliver();
    }
    const std::string_view rest = data.substr(start);
    if (!rest.empty() && !f.pos.skipping) {
      if (f.partial.size() + rest.size() > max) {
        // Counted now and skipped to its newline: an over-long line is not held.
        s_.too_long.fetch_add(1, std::memory_order_relaxed);
        f.partial.clear();
        f.pos.skipping = true;
      } else {
        f.partial.append(rest);
      }
    }
    Deliver();
  }

  void Deliver() {
    if (s_.batch.empty()) return;
    s_.consumer(s_.batch);
    s_.lines.fetch_add(s_.batch.size(), std::memory_order_relaxed);
    s_.batch.clear();
  }

  void MaybeCheckpoint() {
    if (s_.checkpoint_path.empty()) return;
    LogCheckpoint c;
    for (const FollowedFile& f : s_.draining) c.draining.push_back(f.Checkpoint());
    if (s_.current) c.current = s_.current->Checkpoint();
    if (s_.written && *s_.written == c) return;
    if (!s_.force_checkpoint && now_ - s_.last_checkpoint < options_.checkpoint_interval) return;
    s_.force_checkpoint = false;
    s_.last_checkpoint = now_;
    if (Status st = WriteLogCheckpoint(s_.checkpoint_path, c); !st.ok()) {
      if (st.message() != s_.checkpoint_problem) {
        spdlog::warn("log file {}: checkpoint not saved (a restart will start at the end): {}",
                     path_, st.message());
      }
      s_.checkpoint_problem = st.message();
      return;
    }
    s_.checkpoint_problem.clear();
    s_.written = std::move(c);
  }

  const std::string& path_;
  const LogFollowerOptions& options_;
  LogFollower::State& s_;
  const Clock::time_point now_;
  bool troubled_ = false;  // a problem was reported in this pass
};

}  // namespace

void RunFollowerPass(const std::string& path, const LogFollowerOptions& options,
                     LogFollower::State& state) {
  Pass(path, options, state).Run();
}

}  // namespace vms
