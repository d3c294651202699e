#include "vms/media/frame_timing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace vms::media {
namespace {

constexpr std::int64_t kNoDiscontinuity = 1'000'000'000;

TEST(MissingFramesInGapTest, WholeIntervals) {
  EXPECT_EQ(MissingFramesInGap(3600, 3600), 0u);
  EXPECT_EQ(MissingFramesInGap(7200, 3600), 1u);
  EXPECT_EQ(MissingFramesInGap(36000, 3600), 9u);
}

TEST(MissingFramesInGapTest, RoundingJitterIsNotADrop) {
  // 30 fps in a 1/1000 time base: 33 and 34 ms steps.
  EXPECT_EQ(MissingFramesInGap(34, 100.0 / 3), 0u);
  EXPECT_EQ(MissingFramesInGap(67, 100.0 / 3), 1u);
  // A hundred 29.97 fps intervals rounded to 90 kHz ticks.
  EXPECT_EQ(MissingFramesInGap(300300, 3003), 99u);
}

TEST(MissingFramesInGapTest, DegenerateInput) {
  EXPECT_EQ(MissingFramesInGap(0, 3600), 0u);
  EXPECT_EQ(MissingFramesInGap(-3600, 3600), 0u);
  EXPECT_EQ(MissingFramesInGap(3600, 0), 0u);
}

TEST(EstimateFrameIntervalTest, MedianIgnoresDropsAndHoles) {
  std::vector<std::int64_t> deltas(40, 3600);
  deltas[5] = 7200;
  deltas[17] = 36000;
  EXPECT_DOUBLE_EQ(*EstimateFrameInterval(deltas), 3600);
}

TEST(EstimateFrameIntervalTest, RefinesMillisecondRounding) {
  std::vector<std::int64_t> deltas;
  for (int i = 0; i < 30; ++i) deltas.push_back(i % 3 == 2 ? 34 : 33);
  EXPECT_NEAR(*EstimateFrameInterval(deltas), 100.0 / 3, 1e-9);
}

TEST(EstimateFrameIntervalTest, NothingToEstimate) {
  EXPECT_FALSE(EstimateFrameInterval({}));
  EXPECT_FALSE(EstimateFrameInterval({0, -5}));
}

TEST(FrameTimingTest, CountsEveryTenthFrameMissing) {
  FrameTiming timing(kNoDiscontinuity);
  for (int n = 0; n < 250; ++n) {
    if (n % 10 != 5) timing.Add(n * 3600);
  }
  timing.Flush();
  EXPECT_EQ(timing.dropped(), 25u);
  EXPECT_EQ(timing.frames(), 225u);
  EXPECT_DOUBLE_EQ(*timing.interval(), 3600);
}

TEST(FrameTimingTest, ReordersBFramesBeforeMeasuring) {
  // Decode order I P B B P B B ...: presentation order is a clean sequence.
  FrameTiming timing(kNoDiscontinuity);
  timing.Add(0);
  for (int gop = 0; gop < 30; ++gop) {
    const std::int64_t base = gop * 3 * 3000;
    timing.Add(base + 3 * 3000);
    timing.Add(base + 1 * 3000);
    timing.Add(base + 2 * 3000);
  }
  timing.Flush();
  EXPECT_EQ(timing.dropped(), 0u);
  EXPECT_EQ(timing.frames(), 91u);
  EXPECT_EQ(*timing.last_pts() - *timing.first_pts(), 90 * 3000);
}

TEST(FrameTimingTest, DiscontinuityIsNotDrops) {
  FrameTiming timing(/*max_gap_ticks=*/90000 * 60);
  for (int n = 0; n < 50; ++n) timing.Add(n * 3600);
  for (int n = 0; n < 50; ++n) timing.Add(90000LL * 3600 + n * 3600);  // an hour later
  timing.Flush();
  EXPECT_EQ(timing.dropped(), 0u);
}

TEST(FrameTimingTest, ShortSegmentCalibratesOnFlush) {
  FrameTiming timing(kNoDiscontinuity);
  for (std::int64_t pts : {0, 3600, 7200, 14400, 18000}) timing.Add(pts);
  EXPECT_FALSE(timing.interval());
  timing.Flush();
  EXPECT_DOUBLE_EQ(*timing.interval(), 3600);
  EXPECT_EQ(timing.dropped(), 1u);
}

TEST(FrameTimingTest, WindowCoversFramesSinceReset) {
  FrameTiming timing(kNoDiscontinuity, /*reorder_depth=*/0);
  for (int n = 0; n < 10; ++n) timing.Add(n * 3600);
  timing.ResetWindow();
  for (int n = 10; n < 30; ++n) timing.Add(n * 3600);
  EXPECT_EQ(timing.window_frames(), 20u);
  EXPECT_EQ(timing.window_span_ticks(), 19 * 3600);
  EXPECT_EQ(timing.span_ticks(), 29 * 3600);
}

TEST(FrameTimingTest, TimelineResetStartsAFreshRun) {
  FrameTiming timing(/*max_gap_ticks=*/90000 * 60);
  for (int n = 0; n < 50; ++n) timing.Add(8'000'000'000LL + n * 3600);
  // The recorder restarted its clock: PTS start again near zero.
  for (int n = 0; n < 50; ++n) {
    if (n != 25) timing.Add(n * 3600);
  }
  timing.Flush();
  EXPECT_EQ(timing.frames(), 99u);
  EXPECT_EQ(timing.dropped(), 1u);  // the frame missing after the reset
  // Frames of the old timeline still in the reorder buffer come out after
  // the new ones, across one more discontinuity: one interval is lost.
  EXPECT_NEAR(timing.span_ticks(), (49 + 49) * 3600, 3600);
}

}  // namespace
}  // namespace vms::media
