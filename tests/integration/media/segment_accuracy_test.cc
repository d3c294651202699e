// Recording truth against ground truth: clips with known fps, frame count,
// deliberately missing frames and a known hole between segments, made by
// ffmpeg in the test and cross-checked with ffprobe's own packet list.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "media_fixture.h"
#include "support/subprocess.h"
#include "vms/media/segment_analyzer.h"

namespace vms::media {
namespace {

using namespace std::chrono_literals;
using test::MakeClip;
using test::Probe;

constexpr double kFpsTolerance = 0.005;  // 0.5 %
// 2024-01-02 03:04:00 UTC
constexpr double kNameEpoch = 1704164640;

SegmentAnalyzerOptions ClosedSegments(const std::string& dir) {
  SegmentAnalyzerOptions options;
  options.directory = dir;
  options.close_after = 0s;         // every segment on disk is finished
  options.backlog_segments = 1000;  // and all of them are analysed
  options.name_time_utc = true;
  return options;
}

class MediaDirTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = vms::test::MakeTempDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

struct ClipCase {
  int fps;
  const char* extension;
};

class SegmentAccuracyTest : public MediaDirTest, public ::testing::WithParamInterface<ClipCase> {};

TEST_P(SegmentAccuracyTest, FramesFpsAndBytesMatchGroundTruth) {
  const auto [fps, extension] = GetParam();
  constexpr int kSeconds = 4;
  const std::string path = dir_ + "/cam_20240102-030400." + extension;
  ASSERT_TRUE(MakeClip(path, fps, kSeconds));
  const test::PacketTruth truth = Probe(path);
  ASSERT_EQ(truth.video_packets, static_cast<std::uint64_t>(fps * kSeconds));

  SegmentAnalyzer analyzer(ClosedSegments(dir_));
  const SegmentStats& stats = analyzer.Pass();

  EXPECT_EQ(stats.last_error, "");
  EXPECT_EQ(stats.frames_total, truth.video_packets);
  EXPECT_EQ(stats.media_bytes_total, truth.all_bytes);
  EXPECT_EQ(stats.frames_dropped_total, 0u);
  EXPECT_EQ(stats.corrupt_packets_total, 0u);
  EXPECT_EQ(stats.segments_total, 1u);
  EXPECT_EQ(stats.segments_unreadable_total, 0u);
  ASSERT_TRUE(stats.fps);
  EXPECT_NEAR(*stats.fps, fps, fps * kFpsTolerance);
  const double interval = 1.0 / fps;
  EXPECT_NEAR(stats.duration_sum, kSeconds, interval);
  EXPECT_EQ(stats.DurationHistogram().count, 1u);
  EXPECT_EQ(stats.duration_bucket_counts[2], 1u);  // le="5"
  EXPECT_EQ(stats.oldest_segment_timestamp_seconds, kNameEpoch);
  ASSERT_TRUE(stats.last_frame_timestamp_seconds);
  EXPECT_NEAR(*stats.last_frame_timestamp_seconds, kNameEpoch + kSeconds - interval, interval);
  EXPECT_EQ(stats.storage_bytes, std::filesystem::file_size(path));
  std::printf("measured %s %d fps: fps=%.4f (error %.4f %%) frames=%llu bytes=%llu\n", extension,
              fps, *stats.fps, 100 * (*stats.fps - fps) / fps,
              static_cast<unsigned long long>(stats.frames_total),
              static_cast<unsigned long long>(stats.media_bytes_total));
}

INSTANTIATE_TEST_SUITE_P(Clips, SegmentAccuracyTest,
                         ::testing::Values(ClipCase{10, "ts"}, ClipCase{15, "ts"},
                                           ClipCase{25, "ts"}, ClipCase{30, "ts"},
                                           ClipCase{15, "mkv"}, ClipCase{30, "mkv"},
                                           ClipCase{10, "mp4"}, ClipCase{25, "mp4"}),
                         [](const auto& info) {
                           return std::string(info.param.extension) + "_" +
                                  std::to_string(info.param.fps) + "fps";
                         });

class DroppedFramesTest : public MediaDirTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(DroppedFramesTest, EveryTenthFrameMissingIsCountedExactly) {
  constexpr int kFps = 25;
  constexpr int kSeconds = 8;
  const std::string path = dir_ + "/cam_20240102-030400." + GetParam();
  // Frames 5, 15, 25, ... removed, the kept ones keep their timestamps.
  ASSERT_TRUE(MakeClip(path, kFps, kSeconds, "",
                       "-vf \"select='not(eq(mod(n\\,10)\\,5))',setpts=PTS\" "
                       "-fps_mode passthrough"));
  const test::PacketTruth truth = Probe(path);
  constexpr std::uint64_t kRemoved = kFps * kSeconds / 10;
  ASSERT_EQ(truth.video_packets, kFps * kSeconds - kRemoved);

  SegmentAnalyzer analyzer(ClosedSegments(dir_));
  const SegmentStats& stats = analyzer.Pass();

  EXPECT_EQ(stats.frames_total, truth.video_packets);
  EXPECT_EQ(stats.frames_dropped_total, kRemoved);
  EXPECT_EQ(stats.media_bytes_total, truth.all_bytes);
  const double recorded_fps = kFps * 0.9;
  ASSERT_TRUE(stats.fps);
  EXPECT_NEAR(*stats.fps, recorded_fps, recorded_fps * kFpsTolerance);
  ASSERT_TRUE(stats.frame_interval_seconds);
  EXPECT_NEAR(*stats.frame_interval_seconds, 1.0 / kFps, 1e-6);
  std::printf("measured %s drops: dropped=%llu fps=%.4f (truth %.1f)\n", GetParam(),
              static_cast<unsigned long long>(stats.frames_dropped_total), *stats.fps,
              recorded_fps);
}

INSTANTIATE_TEST_SUITE_P(Containers, DroppedFramesTest, ::testing::Values("ts", "mkv", "mp4"));

TEST_F(MediaDirTest, HoleBetweenSegmentsIsCountedAsGapSeconds) {
  constexpr int kFps = 25;
  const std::string first = dir_ + "/cam_20240102-030400.ts";
  // Starts 7 s after the first, which lasts 4 s: 3 s of footage lost.
  const std::string second = dir_ + "/cam_20240102-030407.ts";
  ASSERT_TRUE(MakeClip(first, kFps, 4));
  std::filesystem::copy_file(first, second);
  test::AgeFile(first, 20);
  test::AgeFile(second, 10);

  SegmentAnalyzer analyzer(ClosedSegments(dir_));
  const SegmentStats& stats = analyzer.Pass();

  EXPECT_EQ(stats.segments_total, 2u);
  EXPECT_NEAR(stats.gap_seconds_total, 3.0, 1.0 / kFps);
  EXPECT_EQ(stats.duration_bucket_counts[2], 2u);
  EXPECT_EQ(stats.frames_total, 2u * 4 * kFps);
  EXPECT_EQ(stats.frames_dropped_total, 0u);
  EXPECT_EQ(stats.storage_bytes, 2 * std::filesystem::file_size(first));
  EXPECT_EQ(stats.oldest_segment_timestamp_seconds, kNameEpoch);
  ASSERT_TRUE(stats.last_frame_timestamp_seconds);
  EXPECT_NEAR(*stats.last_frame_timestamp_seconds, kNameEpoch + 7 + 4 - 1.0 / kFps, 1.0 / kFps);
  std::printf("measured gap: %.4f s (truth 3 s)\n", stats.gap_seconds_total);
}

TEST_F(MediaDirTest, ContinuousTimelineWithoutNameTimestampsHasNoGap) {
  // ffmpeg's segment muxer keeps one timeline across segments; names carry
  // only a sequence number.
  ASSERT_TRUE(test::Ffmpeg(
      "-f lavfi -i testsrc=size=320x240:rate=25 -t 6 -c:v libx264 -preset superfast -g 25 "
      "-f segment -segment_time 2 " +
      test::Quote(dir_ + "/seg_%03d.ts")));
  SegmentAnalyzer analyzer(ClosedSegments(dir_));
  const SegmentStats& stats = analyzer.Pass();
  EXPECT_EQ(stats.segments_total, 3u);
  EXPECT_EQ(stats.frames_total, 150u);
  EXPECT_EQ(stats.frames_dropped_total, 0u);
  EXPECT_NEAR(stats.gap_seconds_total, 0.0, 1e-9);
  EXPECT_NEAR(stats.duration_sum, 6.0, 0.04);
}

}  // namespace
}  // namespace vms::media
