#include "vms/host/disk_latency_tracker.h"

#include <algorithm>

namespace vms {

void WeightedHistogram::Observe(double value, std::uint64_t weight) {
  const auto it = std::lower_bound(kDiskLatencyBounds.begin(), kDiskLatencyBounds.end(), value);
  if (it != kDiskLatencyBounds.end()) {
    bucket_counts[static_cast<std::size_t>(it - kDiskLatencyBounds.begin())] += weight;
  }
  count += weight;
  sum += value * static_cast<double>(weight);
}

std::optional<LatencyObservation> LatencyBetween(std::uint64_t ios_before,
                                                 std::uint64_t time_ms_before,
                                                 std::uint64_t ios_after,
                                                 std::uint64_t time_ms_after) {
  if (ios_after <= ios_before) return std::nullopt;
  constexpr std::uint64_t kTimeWrap = std::uint64_t{1} << 32;
  std::uint64_t time_ms = time_ms_after - time_ms_before;
  if (time_ms_after < time_ms_before) {
    if (time_ms_before >= kTimeWrap) return std::nullopt;  // not a 32-bit counter: a reset
    time_ms = time_ms_after + kTimeWrap - time_ms_before;
  }
  const std::uint64_t requests = ios_after - ios_before;
  return LatencyObservation{static_cast<double>(time_ms) / 1000.0 / static_cast<double>(requests),
                            requests};
}

void DiskLatencyTracker::Step(const std::vector<DiskStats>& devices) {
  std::map<std::string, DiskStats> current;
  std::map<std::string, Histograms> kept;
  for (const DiskStats& d : devices) {
    Histograms& h = kept[d.device];
    if (auto it = histograms_.find(d.device); it != histograms_.end()) h = it->second;
    if (auto it = previous_.find(d.device); it != previous_.end()) {
      const DiskStats& p = it->second;
      if (auto o = LatencyBetween(p.reads_completed, p.read_time_ms, d.reads_completed,
                                  d.read_time_ms)) {
        h.read.Observe(o->mean_seconds, o->requests);
      }
      if (auto o = LatencyBetween(p.writes_completed, p.write_time_ms, d.writes_completed,
                                  d.write_time_ms)) {
        h.write.Observe(o->mean_seconds, o->requests);
      }
    }
    current[d.device] = d;
  }
  previous_ = std::move(current);
  histograms_ = std::move(kept);
}

}  // namespace vms
