#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vms/procfs/diskstats.h"

namespace vms {

// Upper bounds of disk_io_latency_seconds: from a fast NVMe read to a disk
// that is failing or saturated.
inline constexpr std::array<double, 12> kDiskLatencyBounds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

// A histogram whose observations carry a weight, so one observation can stand
// for many requests.
struct WeightedHistogram {
  std::array<std::uint64_t, kDiskLatencyBounds.size()> bucket_counts{};  // not cumulative
  std::uint64_t count = 0;
  double sum = 0;

  void Observe(double value, std::uint64_t weight);
};

// The mean latency of the requests completed between two readings of one
// device's counters, and how many there were.
struct LatencyObservation {
  double mean_seconds = 0;
  std::uint64_t requests = 0;
};

// From (completed requests, milliseconds spent) before and after. Empty when
// nothing completed or the request counter went back (device re-created).
// The time field is 32 bits in the kernel and wraps after ~49.7 days of
// summed request time, which a busy disk reaches; a smaller value with more
// requests is read as that wrap.
std::optional<LatencyObservation> LatencyBetween(std::uint64_t ios_before,
                                                 std::uint64_t time_ms_before,
                                                 std::uint64_t ios_after,
                                                 std::uint64_t time_ms_after);

// Feeds disk_io_latency_seconds: called once a second with a fresh
// /proc/diskstats reading, it observes each device's mean read and write
// latency of that second, weighted by the requests completed in it, so the
// buckets count requests and the sum is their total latency. Not thread-safe.
class DiskLatencyTracker {
 public:
  struct Histograms {
    WeightedHistogram read;
    WeightedHistogram write;
  };

  // `devices` are those to track; devices missing from it are forgotten.
  void Step(const std::vector<DiskStats>& devices);
  const std::map<std::string, Histograms>& histograms() const { return histograms_; }

 private:
  std::map<std::string, DiskStats> previous_;
  std::map<std::string, Histograms> histograms_;
};

}  // namespace vms
