// The analyzer on live and damaged recordings: MPEG-TS read incrementally
// while it grows (each byte once), byte budgets, retention, damaged files,
// and the worker thread that publishes snapshots.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "media_fixture.h"
#include "support/subprocess.h"
#include "vms/media/segment_analysis_worker.h"
#include "vms/media/segment_analyzer.h"

namespace vms::media {
namespace {

using namespace std::chrono_literals;
using test::AgeFile;
using test::MakeClip;
using test::Probe;
using test::ReadAll;
using test::WriteAll;

constexpr int kFps = 25;
const char* const kAudio = "-f lavfi -i sine=frequency=440:sample_rate=48000";
const char* const kAac = "-c:a aac -b:a 64k";

class SegmentRobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = vms::test::MakeTempDir();
    source_dir_ = vms::test::MakeTempDir();
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    std::filesystem::remove_all(source_dir_);
  }
  SegmentAnalyzerOptions Options(std::chrono::seconds close_after) const {
    SegmentAnalyzerOptions options;
    options.directory = dir_;
    options.close_after = close_after;
    options.backlog_segments = 1000;
    options.name_time_utc = true;
    return options;
  }
  std::string dir_;
  std::string source_dir_;  // where clips are made before they "are recorded"
};

TEST_F(SegmentRobustnessTest, GrowingTsIsReadOnceAndMatchesOneGo) {
  const std::string clip = source_dir_ + "/clip.ts";
  ASSERT_TRUE(MakeClip(clip, kFps, 6, kAudio, kAac));
  const test::PacketTruth truth = Probe(clip);
  const std::string data = ReadAll(clip);

  const std::string live = dir_ + "/cam_20240102-030400.ts";
  SegmentAnalyzer analyzer(Options(3600s));
  std::uint64_t appended = 0;
  std::uint64_t frames_seen = 0;
  // Uneven chunks that end mid TS packet and mid PES.
  for (const double fraction : {0.07, 0.19, 0.33, 0.5, 0.71, 0.9, 1.0}) {
    const auto end = static_cast<std::uint64_t>(fraction * static_cast<double>(data.size()));
    WriteAll(live, data.substr(appended, end - appended), /*append=*/true);
    appended = end;
    // Appending leaves the directory's mtime alone, so after the first pass
    // the analyzer only re-stats the live segment instead of listing again.
    if (fraction < 0.1) AgeFile(dir_, 600);
    const SegmentStats& stats = analyzer.Pass();
    EXPECT_EQ(stats.bytes_read_total, appended) << "after " << appended << " bytes";
    EXPECT_GE(stats.frames_total, frames_seen);
    EXPECT_EQ(stats.segments_total, 0u);  // still being recorded
    frames_seen = stats.frames_total;
    // fps over what this pass analysed of the live segment.
    if (stats.fps) {
      EXPECT_NEAR(*stats.fps, kFps, kFps * 0.005);
    }
    std::printf("incremental: %llu bytes on disk, %llu read, %llu frames, fps %.4f\n",
                static_cast<unsigned long long>(appended),
                static_cast<unsigned long long>(stats.bytes_read_total),
                static_cast<unsigned long long>(stats.frames_total), stats.fps.value_or(0));
  }
  EXPECT_GT(frames_seen, truth.video_packets / 2);
  AgeFile(live, 7200);  // the recorder moved on
  const SegmentStats& stats = analyzer.Pass();

  EXPECT_EQ(stats.bytes_read_total, data.size());  // nothing read twice
  EXPECT_EQ(stats.segments_total, 1u);
  EXPECT_EQ(stats.frames_total, truth.video_packets);
  EXPECT_EQ(stats.media_bytes_total, truth.all_bytes);
  EXPECT_GT(truth.all_bytes, truth.video_bytes);  // audio counted too
  EXPECT_EQ(stats.frames_dropped_total, 0u);
  EXPECT_EQ(stats.corrupt_packets_total, 0u);

  // The same file in one go gives the same totals.
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  std::filesystem::copy_file(clip, dir_ + "/cam_20240102-030400.ts");
  SegmentAnalyzer once(Options(0s));
  const SegmentStats& one_go = once.Pass();
  EXPECT_EQ(one_go.frames_total, stats.frames_total);
  EXPECT_EQ(one_go.media_bytes_total, stats.media_bytes_total);
  EXPECT_EQ(one_go.frames_dropped_total, stats.frames_dropped_total);
  EXPECT_EQ(one_go.bytes_read_total, data.size());
}

// Frames of about 1 MiB (noisy keyframes): libavformat hands each out in
// 200 KiB pieces, and the appends end inside them, so a frame is begun by
// one pass and finished by the next. Each must count once, with all its bytes.
TEST_F(SegmentRobustnessTest, LargeFramesAcrossPiecesAndPassesCountOnce) {
  const std::string clip = source_dir_ + "/big.ts";
  ASSERT_TRUE(test::Ffmpeg("-f lavfi -i testsrc=size=640x480:rate=10 " + std::string(kAudio) +
                           " -t 3 -vf noise=alls=80:allf=t -c:v libx264 -preset ultrafast -qp 4"
                           " -g 10 " + kAac + " " + test::Quote(clip)));
  const test::PacketTruth truth = Probe(clip);
  const std::string data = ReadAll(clip);
  ASSERT_GT(truth.video_bytes / truth.video_packets, 400u * 1024u) << "frames too small";

  const std::string live = dir_ + "/cam_20240102-030400.ts";
  SegmentAnalyzer analyzer(Options(3600s));
  std::uint64_t appended = 0;
  for (const double fraction : {0.13, 0.41, 0.42, 0.77, 1.0}) {
    const auto end = static_cast<std::uint64_t>(fraction * static_cast<double>(data.size()));
    WriteAll(live, data.substr(appended, end - appended), /*append=*/true);
    appended = end;
    EXPECT_EQ(analyzer.Pass().bytes_read_total, appended);
  }
  AgeFile(live, 7200);
  const SegmentStats& stats = analyzer.Pass();
  EXPECT_EQ(stats.bytes_read_total, data.size());
  EXPECT_EQ(stats.segments_total, 1u);
  EXPECT_EQ(stats.frames_total, truth.video_packets);
  EXPECT_EQ(stats.media_bytes_total, truth.all_bytes);
  EXPECT_EQ(stats.frames_dropped_total, 0u);
  EXPECT_EQ(stats.corrupt_packets_total, 0u);
}

TEST_F(SegmentRobustnessTest, ByteBudgetSpreadsWorkOverPasses) {
  for (const std::string extension : {"ts", "mkv", "mp4"}) {
    SCOPED_TRACE(extension);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = dir_ + "/cam_20240102-030400." + extension;
    ASSERT_TRUE(MakeClip(path, kFps, 6, kAudio, kAac));
    const test::PacketTruth truth = Probe(path);
    const auto size = std::filesystem::file_size(path);
    SegmentAnalyzerOptions options = Options(0s);
    options.max_bytes_per_pass = 64 * 1024;
    SegmentAnalyzer analyzer(options);
    int passes = 1;
    for (; analyzer.Pass().segments_total == 0 && passes < 1000; ++passes) {
      EXPECT_TRUE(analyzer.stats().backlog);
    }
    EXPECT_GE(passes, 3);
    EXPECT_FALSE(analyzer.stats().backlog);
    EXPECT_EQ(analyzer.stats().frames_total, truth.video_packets);
    EXPECT_EQ(analyzer.stats().media_bytes_total, truth.all_bytes);
    EXPECT_EQ(analyzer.stats().frames_dropped_total, 0u);
    ASSERT_TRUE(analyzer.stats().fps);
    EXPECT_NEAR(*analyzer.stats().fps, kFps, kFps * 0.005);
    if (extension == "ts") {
      EXPECT_EQ(analyzer.stats().bytes_read_total, size);
    } else {
      // Demuxers skip what holds no packets (MKV's cues at the end) and may
      // read a buffer twice when they seek (MP4's index at the end).
      EXPECT_GE(analyzer.stats().bytes_read_total, size / 2);
      EXPECT_LE(analyzer.stats().bytes_read_total, size + 4 * 64 * 1024);
    }
  }
}

TEST_F(SegmentRobustnessTest, DamagedFilesAreCountedAndSkipped) {
  const std::string good_ts = source_dir_ + "/good.ts";
  const std::string good_mp4 = source_dir_ + "/good.mp4";
  ASSERT_TRUE(MakeClip(good_ts, kFps, 4));
  ASSERT_TRUE(MakeClip(good_mp4, kFps, 4));
  const std::string ts = ReadAll(good_ts);
  const std::string mp4 = ReadAll(good_mp4);
  std::mt19937 random(42);
  std::string garbage(200 * 1024, '\0');
  for (char& c : garbage) c = static_cast<char>(random());

  // In recording order, the good segment in the middle.
  const std::vector<std::pair<std::string, std::string>> files = {
      {"a_empty.ts", ""},
      {"b_garbage.ts", garbage},
      {"c_good.ts", ts},
      {"d_truncated.mp4", mp4.substr(0, mp4.size() * 6 / 10)},
      {"e_truncated.ts", ts.substr(0, ts.size() * 6 / 10 / 188 * 188 + 77)},
      {"f_garbage.mkv", garbage},
  };
  double age = 600;
  for (const auto& [name, bytes] : files) {
    WriteAll(dir_ + "/" + name, bytes);
    AgeFile(dir_ + "/" + name, age -= 10);
  }
  const test::PacketTruth good = Probe(dir_ + "/c_good.ts");
  const test::PacketTruth truncated = Probe(dir_ + "/e_truncated.ts");
  ASSERT_GT(truncated.video_packets, 0u);

  SegmentAnalyzer analyzer(Options(0s));
  const SegmentStats& stats = analyzer.Pass();

  EXPECT_EQ(stats.segments_unreadable_total, 4u);  // empty, 2x garbage, mp4 without index
  EXPECT_EQ(stats.segments_total, 2u);             // the good and the cut TS
  EXPECT_EQ(stats.frames_total, good.video_packets + truncated.video_packets);
  EXPECT_EQ(stats.segment_files, files.size());
  EXPECT_FALSE(stats.backlog);
  // Nothing is retried: a second pass reads nothing.
  const std::uint64_t read = stats.bytes_read_total;
  EXPECT_EQ(analyzer.Pass().bytes_read_total, read);
  EXPECT_EQ(analyzer.stats().segments_unreadable_total, 4u);
}

TEST_F(SegmentRobustnessTest, CorruptPacketsAreCountedLikeTheDemuxerFlagsThem) {
  const std::string clip = source_dir_ + "/clip.ts";
  ASSERT_TRUE(MakeClip(clip, kFps, 4));
  const std::string data = ReadAll(clip);
  // Lose three continuation packets of the video PID (ffmpeg's 0x100) far
  // apart: three PES packets arrive with a continuity counter gap.
  std::string damaged;
  int lost = 0;
  std::size_t next_loss = data.size() / 4;
  for (std::size_t at = 0; at + 188 <= data.size(); at += 188) {
    const auto b1 = static_cast<unsigned char>(data[at + 1]);
    const int pid = ((b1 & 0x1F) << 8) | static_cast<unsigned char>(data[at + 2]);
    if (lost < 3 && at >= next_loss && pid == 0x100 && !(b1 & 0x40)) {
      ++lost;
      next_loss += data.size() / 4;
      continue;
    }
    damaged.append(data, at, 188);
  }
  ASSERT_EQ(lost, 3);
  const std::string path = dir_ + "/cam_20240102-030400.ts";
  WriteAll(path, damaged);
  // Each damaged PES is one frame the demuxer flags corrupt (ffprobe logs
  // "Packet corrupt" for each; its flags column does not show it).
  const std::uint64_t expected_corrupt = 3;
  SegmentAnalyzer analyzer(Options(0s));
  const SegmentStats& stats = analyzer.Pass();
  EXPECT_EQ(stats.corrupt_packets_total, expected_corrupt);
  EXPECT_EQ(stats.frames_total, Probe(path).video_packets);
  EXPECT_EQ(stats.segments_total, 1u);
}

TEST_F(SegmentRobustnessTest, FragmentedMp4SegmentsUseTheirInitSegment) {
  ASSERT_TRUE(test::Ffmpeg(
      "-f lavfi -i testsrc=size=320x240:rate=25 -t 6 -c:v libx264 -preset superfast -g 25 "
      "-f hls -hls_segment_type fmp4 -hls_time 2 -hls_playlist_type vod "
      "-hls_fmp4_init_filename init.mp4 " +
      test::Quote(dir_ + "/index.m3u8")));
  SegmentAnalyzer analyzer(Options(0s));
  const SegmentStats& stats = analyzer.Pass();
  EXPECT_EQ(stats.segments_total, 3u);
  EXPECT_EQ(stats.segments_unreadable_total, 0u);
  EXPECT_EQ(stats.frames_total, 150u);
  EXPECT_EQ(stats.frames_dropped_total, 0u);
  EXPECT_NEAR(stats.duration_sum, 6.0, 0.04);
}

TEST_F(SegmentRobustnessTest, RetentionNeverTakesCountsBack) {
  const std::string first = dir_ + "/cam_20240102-030400.mkv";
  const std::string second = dir_ + "/cam_20240102-030404.mkv";
  ASSERT_TRUE(MakeClip(first, kFps, 4));
  std::filesystem::copy_file(first, second);
  AgeFile(first, 60);
  AgeFile(second, 30);
  SegmentAnalyzer analyzer(Options(0s));
  const SegmentStats before = analyzer.Pass();
  ASSERT_EQ(before.segments_total, 2u);
  EXPECT_NEAR(before.fps.value_or(0), kFps, kFps * 0.005);

  std::filesystem::remove(first);
  const SegmentStats& after = analyzer.Pass();
  EXPECT_EQ(after.fps, 0.0);  // nothing new, nothing being written: not recording
  EXPECT_EQ(after.frames_total, before.frames_total);
  EXPECT_EQ(after.media_bytes_total, before.media_bytes_total);
  EXPECT_EQ(after.segments_total, before.segments_total);
  EXPECT_EQ(after.storage_bytes, before.storage_bytes / 2);
  EXPECT_EQ(after.segment_files, 1u);
  EXPECT_EQ(after.oldest_segment_timestamp_seconds, 1704164644.0);
}

TEST_F(SegmentRobustnessTest, FinishedSegmentWrittenAgainIsNotCountedTwice) {
  const std::string clip = source_dir_ + "/clip.ts";
  ASSERT_TRUE(MakeClip(clip, kFps, 4));
  const std::string path = dir_ + "/cam_20240102-030400.ts";
  std::filesystem::copy_file(clip, path);
  SegmentAnalyzer analyzer(Options(0s));
  const SegmentStats first = analyzer.Pass();
  ASSERT_EQ(first.segments_total, 1u);
  // A recorder resuming into the same file after a pause.
  WriteAll(path, ReadAll(clip), /*append=*/true);
  const SegmentStats& second = analyzer.Pass();
  EXPECT_EQ(second.frames_total, first.frames_total);
  EXPECT_EQ(second.segments_total, 1u);
  EXPECT_EQ(second.storage_bytes, 2 * first.storage_bytes);
}

TEST_F(SegmentRobustnessTest, FirstPassLeavesOldFootageToHistory) {
  for (int i = 0; i < 3; ++i) {
    const std::string path = dir_ + "/cam_20240102-03040" + std::to_string(i * 4) + ".mp4";
    if (i == 0) {
      ASSERT_TRUE(MakeClip(path, kFps, 4));
    } else {
      std::filesystem::copy_file(dir_ + "/cam_20240102-030400.mp4", path);
    }
    AgeFile(path, 100 - i * 10);
  }
  SegmentAnalyzerOptions options = Options(0s);
  options.backlog_segments = 1;
  SegmentAnalyzer analyzer(options);
  const SegmentStats& stats = analyzer.Pass();
  EXPECT_EQ(stats.segments_total, 1u);
  EXPECT_EQ(stats.frames_total, 4u * kFps);
  EXPECT_EQ(stats.segment_files, 3u);
  EXPECT_EQ(stats.oldest_segment_timestamp_seconds, 1704164640.0);
}

TEST_F(SegmentRobustnessTest, WorkerPublishesSnapshots) {
  ASSERT_TRUE(MakeClip(dir_ + "/cam_20240102-030400.ts", kFps, 4));
  SegmentAnalysisWorker worker(50ms);
  auto snapshot = worker.Watch("cam1", Options(0s));
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->Read(), nullptr);  // nothing analysed yet
  worker.Start();
  std::shared_ptr<const SegmentStats> stats;
  for (int i = 0; i < 400 && !(stats && stats->segments_total == 1); ++i) {
    std::this_thread::sleep_for(25ms);
    stats = snapshot->Read();
  }
  ASSERT_NE(stats, nullptr);
  EXPECT_EQ(stats->segments_total, 1u);
  EXPECT_EQ(stats->frames_total, 4u * kFps);
  // Same options again (a config reload) keeps the camera and its counters.
  EXPECT_EQ(worker.Watch("cam1", Options(0s)), snapshot);
  worker.Unwatch("cam1");
  EXPECT_EQ(worker.Find("cam1"), nullptr);
  worker.Stop();
  EXPECT_EQ(snapshot->Read()->frames_total, 4u * kFps);  // readers keep the last one
}

}  // namespace
}  // namespace vms::media
