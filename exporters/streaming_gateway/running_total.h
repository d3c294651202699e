#pragma once

#include <cstdint>

namespace vms::streaming_gateway {

// A monotonic total fed by a counter that another program keeps (a MediaMTX
// session's bytes, a Janus PeerConnection's packets) and that may start over:
// the session ends and a new one takes its place, the program restarts. Each
// observation adds what the source counted since the last one; a value lower
// than the last means the source started over, and all of the new value is
// new. So the total never goes down and keeps what finished sessions sent.
class RunningTotal {
 public:
  // Adds the growth of a source counter from `last` to `now`, and returns it.
  static std::uint64_t Growth(std::uint64_t last, std::uint64_t now) {
    return now >= last ? now - last : now;
  }
  void Add(std::uint64_t delta) { total_ += delta; }
  std::uint64_t total() const { return total_; }

 private:
  std::uint64_t total_ = 0;
};

}  // namespace vms::streaming_gateway
