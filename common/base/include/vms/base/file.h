#pragma once

#include <string>

#include "vms/base/status.h"

namespace vms {

// Reads a whole (small) file such as a /proc or /sys entry. The error names
// the path and errno text.
Result<std::string> ReadFile(const std::string& path);

// Joins a configured root (--path.procfs, ...) with an absolute path.
std::string JoinRoot(const std::string& root, const std::string& path);

}  // namespace vms
