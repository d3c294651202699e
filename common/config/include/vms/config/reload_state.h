#pragma once

#include <atomic>

namespace vms {

// What the last configuration load did; exported by SelfCollector.
struct ReloadState {
  std::atomic<bool> last_successful{true};
  std::atomic<double> last_success_unix_seconds{0};
};

}  // namespace vms
