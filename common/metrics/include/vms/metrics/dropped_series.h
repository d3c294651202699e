#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "vms/metrics/collector.h"

namespace vms {

// vms_exporter_series_dropped_total{reason}: samples an exporter did not
// export because a label cap was reached (a new camera_id past the cap, an
// endpoint past its limit) or a label value was unusable. One per exporter,
// shared by every collector that caps labels, and written by a collector of
// its own ("series_limits"), since a family must appear once in a scrape.
// Thread-safe.
class DroppedSeries {
 public:
  DroppedSeries() : state_(std::make_shared<State>()) {}
  // Makes `reason` known, so its series shows 0 before anything is dropped.
  void Declare(std::string_view reason);
  void Add(std::string_view reason, std::uint64_t n = 1);
  std::uint64_t Count(std::string_view reason) const;
  // Writes the family; shares the counts with this object.
  std::unique_ptr<Collector> MakeCollector() const;

 private:
  struct State {
    mutable std::mutex mu;
    std::map<std::string, std::uint64_t, std::less<>> counts;  // guarded by mu
  };
  std::shared_ptr<State> state_;
};

}  // namespace vms
