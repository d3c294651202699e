#include "segment_catalog.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vms::media::internal {
namespace {

double MtimeOf(const struct stat& st) {
  return static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec * 1e-9;
}

// A directory changed within this long of being listed may have changed
// again within its mtime's granularity (whole seconds on some filesystems).
constexpr double kMtimeGranularity = 2.0;
// Passes between full listings even when the directory looks unchanged: a
// finished segment rewritten in place still gets its size counted.
constexpr int kListEvery = 60;

}  // namespace

Status SegmentCatalog::Refresh(double now, std::size_t backlog) {
  struct stat st;
  if (stat(directory_.c_str(), &st) != 0) {
    relist_ = true;
    return Status::Error("checking segment directory " + directory_ + ": " + std::strerror(errno));
  }
  const double dir_mtime = MtimeOf(st);
  const bool unchanged =
      listed_ && !relist_ && dir_mtime == dir_mtime_ && listed_at_ - dir_mtime > kMtimeGranularity;
  if (unchanged && ++passes_since_listing_ < kListEvery) {
    RestatTail();
    return Status::Ok();
  }
  passes_since_listing_ = 0;
  dir_mtime_ = dir_mtime;
  listed_at_ = now;
  return ListAll(backlog);
}

Status SegmentCatalog::ListAll(std::size_t backlog) {
  auto listing = ListSegments(directory_, glob_, extensions_);
  if (!listing.ok()) {
    relist_ = true;
    return listing.status();
  }
  relist_ = false;
  std::vector<SegmentFile>& all = listing->segments;
  if (!listed_ && all.size() > backlog) retired_through_ = KeyOf(all[all.size() - backlog - 1]);
  listed_ = true;

  retired_bytes_ = 0;
  retired_files_ = 0;
  retired_newest_mtime_.reset();
  tail_.clear();
  for (SegmentFile& f : all) {
    if ((retired_through_ && !(*retired_through_ < KeyOf(f))) || RecentlyRetired(f)) {
      Retire(f);
    } else {
      tail_.push_back(std::move(f));
    }
  }
  oldest_.reset();
  if (!all.empty()) oldest_ = retired_files_ > 0 ? all.front() : tail_.front();
  init_bytes_ = 0;
  for (const SegmentFile& f : listing->init_segments) init_bytes_ += f.size;
  newest_init_.reset();
  if (!listing->init_segments.empty()) newest_init_ = listing->init_segments.back();
  return Status::Ok();
}

void SegmentCatalog::RestatTail() {
  std::erase_if(tail_, [&](SegmentFile& f) {
    struct stat st;
    if (stat(f.path.c_str(), &st) != 0) {
      // Removed without the directory's mtime showing it yet.
      relist_ = true;
      return true;
    }
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime = MtimeOf(st);
    f.device = st.st_dev;
    f.inode = st.st_ino;
    return false;
  });
  std::sort(tail_.begin(), tail_.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return KeyOf(a) < KeyOf(b); });
}

bool SegmentCatalog::RecentlyRetired(const SegmentFile& f) const {
  return std::any_of(recently_retired_.begin(), recently_retired_.end(),
                     [&](const Retired& r) { return r.name == f.name && r.inode == f.inode; });
}

void SegmentCatalog::Retire(const SegmentFile& f) {
  if (!RecentlyRetired(f)) {
    recently_retired_.push_back({f.name, f.inode});
    constexpr std::size_t kRemembered = 8;
    if (recently_retired_.size() > kRemembered) recently_retired_.erase(recently_retired_.begin());
  }
  retired_bytes_ += f.size;
  ++retired_files_;
  retired_newest_mtime_ = std::max(retired_newest_mtime_.value_or(f.mtime), f.mtime);
  if (!retired_through_ || *retired_through_ < KeyOf(f)) retired_through_ = KeyOf(f);
}

std::uint64_t SegmentCatalog::storage_bytes() const {
  std::uint64_t bytes = retired_bytes_ + init_bytes_;
  for (const SegmentFile& f : tail_) bytes += f.size;
  return bytes;
}

std::optional<double> SegmentCatalog::newest_mtime() const {
  if (!tail_.empty()) return tail_.back().mtime;
  return retired_newest_mtime_;
}

}  // namespace vms::media::internal
