#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

namespace vms::media {

// Frames missing in a gap of `delta` ticks between two consecutive frames of a
// stream whose frame interval is `interval` ticks: a gap of k intervals means
// k - 1 missing frames. Rounding to the nearest whole interval absorbs the
// jitter of timestamps rounded to the time base (33/34 ms at 30 fps in 1/1000,
// 3003 ticks at 29.97 fps in 1/90000). 0 for a non-positive delta or interval.
std::uint64_t MissingFramesInGap(std::int64_t delta, double interval);

// The frame interval of a stream from the deltas between its frames in
// presentation order: the median (robust to drops and holes as long as most
// deltas are single intervals), refined to the mean of the deltas within half
// an interval of it, so a 1/1000 time base at 30 fps yields 33.33, not 33.
// nullopt without any positive delta.
std::optional<double> EstimateFrameInterval(std::vector<std::int64_t> deltas);

// Timing of one video stream in one segment, fed with PTS in decode order.
// Frames are put back into presentation order through a small reorder buffer
// (B-frames), then the interval is calibrated on the first deltas and every
// later delta is checked for missing frames.
class FrameTiming {
 public:
  // Deltas larger than `max_gap_ticks`, or a jump back by more than that,
  // are a timeline discontinuity (recorder restart, clock reset, PTS wrap):
  // not missing frames, and not part of the span.
  explicit FrameTiming(std::int64_t max_gap_ticks, std::size_t reorder_depth = 16,
                       std::size_t calibration_deltas = 24);

  void Add(std::int64_t pts);
  // End of the segment: drains the reorder buffer and settles the interval
  // from whatever deltas there are.
  void Flush();
  // Starts a new measurement window for fps (one analysis pass).
  void ResetWindow() {
    window_frames_ = 0;
    window_span_ = 0;
  }

  std::uint64_t dropped() const { return dropped_; }
  std::optional<double> interval() const { return interval_; }
  // Frames that left the reorder buffer, and their PTS range.
  std::uint64_t frames() const { return frames_; }
  std::optional<std::int64_t> first_pts() const { return first_; }
  std::optional<std::int64_t> last_pts() const { return last_; }
  // Presentation time covered, in ticks: the sum of the deltas between
  // consecutive frames, discontinuities left out.
  std::int64_t span_ticks() const { return span_; }
  // Frames emitted since ResetWindow() and the span they cover.
  std::uint64_t window_frames() const { return window_frames_; }
  std::int64_t window_span_ticks() const { return window_span_; }

 private:
  void Emit(std::int64_t pts);
  void Calibrate();

  std::int64_t max_gap_ticks_;
  std::size_t reorder_depth_;
  std::size_t calibration_deltas_;
  std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> reorder_;
  std::vector<std::int64_t> pending_deltas_;  // until the interval is known
  std::optional<double> interval_;
  std::uint64_t dropped_ = 0;
  std::uint64_t frames_ = 0;
  std::optional<std::int64_t> first_;
  std::optional<std::int64_t> last_;
  std::int64_t span_ = 0;
  std::uint64_t window_frames_ = 0;
  std::int64_t window_span_ = 0;
};

}  // namespace vms::media
