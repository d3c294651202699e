#include "vms/media/frame_timing.h"

#include <algorithm>
#include <cmath>

namespace vms::media {

std::uint64_t MissingFramesInGap(std::int64_t delta, double interval) {
  if (delta <= 0 || !(interval > 0)) return 0;
  const long long intervals = std::llround(static_cast<double>(delta) / interval);
  return intervals > 1 ? static_cast<std::uint64_t>(intervals - 1) : 0;
}

std::optional<double> EstimateFrameInterval(std::vector<std::int64_t> deltas) {
  std::erase_if(deltas, [](std::int64_t d) { return d <= 0; });
  if (deltas.empty()) return std::nullopt;
  auto mid = deltas.begin() + static_cast<std::ptrdiff_t>(deltas.size() / 2);
  std::nth_element(deltas.begin(), mid, deltas.end());
  const double median = static_cast<double>(*mid);
  double sum = 0;
  std::size_t n = 0;
  for (std::int64_t d : deltas) {
    if (d >= 0.5 * median && d <= 1.5 * median) {
      sum += static_cast<double>(d);
      ++n;
    }
  }
  return n > 0 ? sum / static_cast<double>(n) : median;
}

FrameTiming::FrameTiming(std::int64_t max_gap_ticks, std::size_t reorder_depth,
                         std::size_t calibration_deltas)
    : max_gap_ticks_(max_gap_ticks),
      reorder_depth_(reorder_depth),
      calibration_deltas_(std::max<std::size_t>(calibration_deltas, 1)) {}

void FrameTiming::Add(std::int64_t pts) {
  reorder_.push(pts);
  if (reorder_.size() > reorder_depth_) {
    const std::int64_t next = reorder_.top();
    reorder_.pop();
    Emit(next);
  }
}

void FrameTiming::Flush() {
  while (!reorder_.empty()) {
    const std::int64_t next = reorder_.top();
    reorder_.pop();
    Emit(next);
  }
  if (!interval_ && !pending_deltas_.empty()) Calibrate();
}

void FrameTiming::Emit(std::int64_t pts) {
  // A duplicate, or a frame reordered deeper than the buffer: it was counted
  // as a packet already and says nothing about missing frames.
  if (last_ && pts <= *last_) return;
  if (last_) {
    const std::int64_t delta = pts - *last_;
    if (interval_) {
      Count(delta);
    } else {
      pending_deltas_.push_back(delta);
      if (pending_deltas_.size() >= calibration_deltas_) Calibrate();
    }
  }
  if (!first_) first_ = pts;
  last_ = pts;
  ++frames_;
  if (window_frames_ == 0) window_first_ = pts;
  window_last_ = pts;
  ++window_frames_;
}

void FrameTiming::Count(std::int64_t delta) {
  if (delta > max_gap_ticks_) return;
  dropped_ += MissingFramesInGap(delta, *interval_);
}

void FrameTiming::Calibrate() {
  interval_ = EstimateFrameInterval(pending_deltas_);
  if (interval_) {
    for (std::int64_t d : pending_deltas_) Count(d);
  }
  pending_deltas_.clear();
}

}  // namespace vms::media
