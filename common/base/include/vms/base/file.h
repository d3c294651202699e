#pragma once

#include <cstddef>
#include <limits>
#include <string>

#include "vms/base/status.h"

namespace vms {

// Reads a whole (small) file such as a /proc or /sys entry. The error names
// the path and errno text. A file growing past `max_bytes` is refused as
// soon as it does, never read whole.
Result<std::string> ReadFile(const std::string& path,
                             std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

// Joins a configured root (--path.procfs, ...) with an absolute path.
std::string JoinRoot(const std::string& root, const std::string& path);

}  // namespace vms
