#pragma once

// Internal to vms_media: which files in a camera's directory are its
// segments, in recording order.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "vms/base/status.h"

namespace vms::media::internal {

struct SegmentFile {
  std::string name;
  std::string path;
  std::uint64_t size = 0;
  double mtime = 0;  // Unix seconds with sub-second precision
  dev_t device = 0;
  ino_t inode = 0;
  bool init_segment = false;  // fMP4 initialisation segment, not footage
};

struct DirectoryListing {
  std::vector<SegmentFile> segments;  // oldest first: mtime, then name
  std::vector<SegmentFile> init_segments;
  std::uint64_t storage_bytes = 0;  // apparent size of all of the above
};

// Regular files directly in `directory` whose name matches `glob` (fnmatch)
// and ends in one of `extensions` (case-insensitive). A name containing
// "init" is an fMP4 initialisation segment (ffmpeg's hls and dash muxers).
Result<DirectoryListing> ListSegments(const std::string& directory, const std::string& glob,
                                      const std::vector<std::string>& extensions);

}  // namespace vms::media::internal
