#include "segment_directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

namespace vms::media::internal {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool HasExtension(const std::string& lower_name, const std::vector<std::string>& extensions) {
  return std::any_of(extensions.begin(), extensions.end(), [&](const std::string& ext) {
    const std::string e = Lower(ext);
    return lower_name.size() > e.size() &&
           lower_name.compare(lower_name.size() - e.size(), e.size(), e) == 0;
  });
}

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

}  // namespace

Result<DirectoryListing> ListSegments(const std::string& directory, const std::string& glob,
                                      const std::vector<std::string>& extensions) {
  std::unique_ptr<DIR, DirCloser> dir(opendir(directory.c_str()));
  if (!dir) {
    return Status::Error("listing segment directory " + directory + ": " + std::strerror(errno));
  }
  DirectoryListing listing;
  const int dir_fd = dirfd(dir.get());
  errno = 0;
  while (const dirent* entry = readdir(dir.get())) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (fnmatch(glob.c_str(), name.c_str(), 0) != 0) continue;
    const std::string lower = Lower(name);
    if (!HasExtension(lower, extensions)) continue;
    struct stat st;
    // A file removed by retention between readdir and stat is simply gone.
    if (fstatat(dir_fd, name.c_str(), &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
    SegmentFile file;
    file.name = name;
    file.path = directory;
    file.path += '/';
    file.path += name;
    file.size = static_cast<std::uint64_t>(st.st_size);
    file.mtime = static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec * 1e-9;
    file.device = st.st_dev;
    file.inode = st.st_ino;
    file.init_segment = lower.find("init") != std::string::npos;
    listing.storage_bytes += file.size;
    (file.init_segment ? listing.init_segments : listing.segments).push_back(std::move(file));
    errno = 0;
  }
  if (errno != 0) {
    return Status::Error("reading segment directory " + directory + ": " + std::strerror(errno));
  }
  const auto by_time = [](const SegmentFile& a, const SegmentFile& b) {
    return a.mtime != b.mtime ? a.mtime < b.mtime : a.name < b.name;
  };
  std::sort(listing.segments.begin(), listing.segments.end(), by_time);
  std::sort(listing.init_segments.begin(), listing.init_segments.end(), by_time);
  return listing;
}

}  // namespace vms::media::internal
