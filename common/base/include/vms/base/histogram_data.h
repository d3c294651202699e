#pragma once

#include <cstdint>
#include <span>

namespace vms {

// Cumulative histogram data as it is exported: bucket upper bounds (ascending,
// without +Inf) and counts per bucket (not cumulative); the +Inf bucket is
// derived from `count`.
struct HistogramData {
  std::span<const double> bounds;
  std::span<const std::uint64_t> bucket_counts;
  std::uint64_t count = 0;
  double sum = 0;
};

}  // namespace vms
