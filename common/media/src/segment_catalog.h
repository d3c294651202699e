#pragma once

// Internal to vms_media: what a camera's directory holds, kept cheaply.
// Finished segments are folded into totals (a disk keeps days of them: no
// per-file memory, no stat per pass); only the unfinished tail is tracked
// file by file. The directory is listed again only when its mtime says
// files were added or removed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "segment_directory.h"
#include "vms/base/status.h"

namespace vms::media::internal {

class SegmentCatalog {
 public:
  SegmentCatalog(std::string directory, std::string glob, std::vector<std::string> extensions)
      : directory_(std::move(directory)),
        glob_(std::move(glob)),
        extensions_(std::move(extensions)) {}

  // Brings the tail up to date at wall time `now`. On the first listing all
  // but the newest `backlog` segments count as finished without analysis.
  Status Refresh(double now, std::size_t backlog);

  // Segments not finished yet, in recording order.
  const std::vector<SegmentFile>& tail() const { return tail_; }
  // Folds the leading tail segments for which `finished` holds into totals.
  template <typename Finished>
  void RetireFinished(Finished finished) {
    std::size_t n = 0;
    while (n < tail_.size() && finished(tail_[n])) Retire(tail_[n++]);
    tail_.erase(tail_.begin(), tail_.begin() + static_cast<std::ptrdiff_t>(n));
  }

  std::uint64_t storage_bytes() const;
  std::uint64_t segment_files() const { return retired_files_ + tail_.size(); }
  const std::optional<SegmentFile>& oldest() const { return oldest_; }
  std::optional<double> newest_mtime() const;
  const std::optional<SegmentFile>& newest_init_segment() const { return newest_init_; }

 private:
  struct Key {
    double mtime = 0;
    std::string name;
    bool operator<(const Key& o) const {
      return mtime != o.mtime ? mtime < o.mtime : name < o.name;
    }
  };
  static Key KeyOf(const SegmentFile& f) { return {f.mtime, f.name}; }

  Status ListAll(std::size_t backlog);
  void RestatTail();
  void Retire(const SegmentFile& f);

  std::string directory_;
  std::string glob_;
  std::vector<std::string> extensions_;
  bool RecentlyRetired(const SegmentFile& f) const;

  bool listed_ = false;
  bool relist_ = true;
  double dir_mtime_ = 0;
  double listed_at_ = 0;
  std::optional<Key> retired_through_;  // every segment up to here is finished
  std::uint64_t retired_bytes_ = 0;     // of the finished segments still on disk
  std::uint64_t retired_files_ = 0;
  std::optional<double> retired_newest_mtime_;
  std::uint64_t init_bytes_ = 0;
  std::optional<SegmentFile> oldest_;
  std::optional<SegmentFile> newest_init_;
  std::vector<SegmentFile> tail_;
  int passes_since_listing_ = 0;
  // Finished segments written to again (a recorder resuming after a pause)
  // stay finished: re-reading them from the start would count twice.
  struct Retired {
    std::string name;
    ino_t inode = 0;
  };
  std::vector<Retired> recently_retired_;  // newest last, a few at most
};

}  // namespace vms::media::internal
