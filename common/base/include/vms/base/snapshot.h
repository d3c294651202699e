#pragma once

#include <memory>
#include <mutex>

namespace vms {

// Holds the latest immutable result of a background probe. Probes Publish();
// collectors Read() at scrape time and never wait on the probe itself. Every
// Publish() makes a new object, so a reader holding the last one it read can
// tell by identity whether anything was published since (collectors keep
// text rendered from a snapshot until it is replaced).
template <typename T>
class Snapshot {
 public:
  void Publish(T value) {
    auto next = std::make_shared<const T>(std::move(value));
    std::lock_guard lock(mu_);
    value_.swap(next);
  }
  // nullptr until the first Publish().
  std::shared_ptr<const T> Read() const {
    std::lock_guard lock(mu_);
    return value_;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const T> value_;
};

}  // namespace vms
