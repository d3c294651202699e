#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms {

// One line of /proc/PID/mountinfo (proc(5)). Paths are unescaped: the kernel
// writes space, tab, newline and backslash in paths as \040, \011, \012, \134.
struct MountInfo {
  std::string root;  // path inside the file system that is mounted
  std::string mount_point;
  std::string mount_options;  // per-mount: "rw,nosuid,relatime"
  std::string fstype;         // "ext4", "fuse.sshfs"
  std::string source;         // "/dev/sda1", "server:/export", "tmpfs"
  std::string super_options;  // per-superblock: "rw,errors=remount-ro"
};

// Parses a whole mountinfo file. Fails on the first malformed line, naming
// it: the kernel writes this file, so a bad line means a wrong file.
Result<std::vector<MountInfo>> ParseMountInfo(std::string_view text);

// Undoes the kernel's octal escaping (\NNN) of a mountinfo path field.
std::string UnescapeMountField(std::string_view field);

// True if a comma-separated option list holds `option` exactly ("ro", not
// "errors=remount-ro").
bool HasMountOption(std::string_view options, std::string_view option);

}  // namespace vms
