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
  if (last_) {
    const std::int64_t delta = pts - *last_;
    // A duplicate, or a frame reordered deeper than the buffer: it was
    // counted as a packet already and says nothing about missing frames.
    if (delta <= 0 && -delta <= max_gap_ticks_) return;
    if (delta > 0 && delta <= max_gap_ticks_) {
      span_ += delta;
      // The window's first frame starts it; deltas reaching back before the
      // window belong to the previous one.
      if (window_frames_ > 0) window_span_ += delta;
      if (interval_) {
        dropped_ += MissingFramesInGap(delta, *interval_);
      } else {
        pending_deltas_.push_back(delta);
        if (pending_deltas_.size() >= calibration_deltas_) Calibrate();
      }
    }
  }
  if (!first_) first_ = pts;
  last_ = pts;
  ++frames_;
  ++window_frames_;
}

void FrameTiming::Calibrate() {
  interval_ = EstimateFrameInterval(pending_deltas_);
  if (interval_) {
    for (std::int64_t d : pending_deltas_) dropped_ += MissingFramesInGap(d, *interval_);
  }
  pending_deltas_.clear();
}

}  // namespace vms::media
