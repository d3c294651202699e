// A real ffmpeg writes live HLS into a temp dir; the test reads the playlist
// from disk every 500 ms, as the streaming gateway exporter will, and feeds
// the tracker with the wall clock and the segment files' sizes and mtimes.
// Then ffmpeg is killed and the stream must go stale after 3 target durations.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "support/subprocess.h"
#include "vms/base/file.h"
#include "vms/base/uri.h"
#include "vms/hls/playlist.h"
#include "vms/hls/stream_tracker.h"

namespace vms::hls {
namespace {

using namespace std::chrono_literals;

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct FileInfo {
  std::uint64_t size = 0;
  double mtime = 0;
};

std::optional<FileInfo> Stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileInfo{static_cast<std::uint64_t>(st.st_size),
                  static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec * 1e-9};
}

class HlsLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = vms::test::MakeTempDir();
    playlist_ = dir_ + "/index.m3u8";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // One poll: read, parse, stat the new segments, observe. Returns whether a
  // playlist was there to read.
  bool Poll() {
    const double now = WallNow();
    const auto text = ReadFile(playlist_);
    if (!text.ok()) {
      tracker_.ObserveFetchFailure(now);
      return false;
    }
    const auto parsed = ParsePlaylist(*text);
    if (!parsed.ok() || parsed->media() == nullptr) {
      ADD_FAILURE() << "playlist did not parse: " << parsed.error() << "\n" << *text;
      tracker_.ObserveParseError(now);
      return true;
    }
    const MediaPlaylist& playlist = *parsed->media();
    std::vector<SegmentFile> files;
    for (const NewSegment& s : tracker_.NewSegments(playlist)) {
      const auto info = Stat(ResolveUri(playlist_, s.segment->uri));
      if (!info) continue;
      files.push_back({s.sequence, info->size, info->mtime});
      // Ground truth, independent of the tracker: each (name, PDT) once.
      appeared_.emplace(std::pair{s.segment->uri, s.segment->program_date_time.value_or(0)},
                        info->size);
    }
    tracker_.Observe(playlist, now, files);
    return true;
  }

  std::uint64_t AppearedBytes() const {
    std::uint64_t sum = 0;
    for (const auto& [key, size] : appeared_) sum += size;
    return sum;
  }

  std::string dir_;
  std::string playlist_;
  HlsStreamTracker tracker_;
  std::map<std::pair<std::string, double>, std::uint64_t> appeared_;
};

TEST_F(HlsLiveTest, LiveFfmpegIsFreshThenGoesStaleWhenKilled) {
  // temp_file: without it ffmpeg rewrites index.m3u8 in place and a reader
  // can catch it half written (see tests/fixtures/hls/README.md).
  vms::test::Subprocess ffmpeg({"/usr/bin/ffmpeg",
                                "-hide_banner",
                                "-loglevel",
                                "error",
                                "-nostdin",
                                "-f",
                                "lavfi",
                                "-re",
                                "-i",
                                "testsrc2=size=320x240:rate=25",
                                "-c:v",
                                "libx264",
                                "-preset",
                                "veryfast",
                                "-g",
                                "25",
                                "-pix_fmt",
                                "yuv420p",
                                "-f",
                                "hls",
                                "-hls_time",
                                "1",
                                "-hls_list_size",
                                "5",
                                "-hls_flags",
                                "program_date_time+delete_segments+temp_file",
                                playlist_},
                               dir_ + "/ffmpeg.log");

  // Live for about 6 s of polls once the first playlist is there.
  int live_polls = 0;
  for (int i = 0; i < 60 && live_polls < 12; ++i) {
    std::this_thread::sleep_for(500ms);
    ASSERT_TRUE(ffmpeg.Running()) << "ffmpeg exited; see " << dir_ << "/ffmpeg.log";
    if (!Poll() || tracker_.state().target_duration == 0) continue;
    ++live_polls;
    const HlsStreamState& s = tracker_.state();
    const double target = static_cast<double>(s.target_duration);
    EXPECT_EQ(s.target_duration, 1u);
    EXPECT_TRUE(s.up);
    EXPECT_TRUE(s.fresh);
    if (s.latency_seconds) {
      EXPECT_EQ(s.latency_source, TimeSource::kProgramDateTime);
      EXPECT_GE(*s.latency_seconds, 0);
      EXPECT_LE(*s.latency_seconds, 4 * target);
    }
  }
  ASSERT_EQ(live_polls, 12);
  const HlsStreamState live = tracker_.state();
  EXPECT_GE(live.segments_total, 4u);
  EXPECT_EQ(live.segments_total, appeared_.size());
  EXPECT_EQ(live.encoded_bytes_total, AppearedBytes());
  EXPECT_EQ(live.segments_without_size_total, 0u);
  ASSERT_TRUE(live.latency_seconds);
  for (std::size_t k = 0; k < kPlaylistErrorKinds; ++k) {
    EXPECT_EQ(live.errors[k], 0u) << PlaylistErrorName(static_cast<PlaylistError>(k));
  }

  // A crash: no final playlist, the last one stays on disk as it was.
  ffmpeg.Signal(SIGKILL);
  ASSERT_NE(ffmpeg.Wait(10s), -1);
  const double target = static_cast<double>(live.target_duration);
  bool went_stale = false;
  for (int i = 0; i < 40 && !went_stale; ++i) {
    std::this_thread::sleep_for(500ms);
    ASSERT_TRUE(Poll());
    const HlsStreamState& s = tracker_.state();
    if (s.fresh) {
      EXPECT_LE(*s.playlist_age_seconds, 3 * target);
      EXPECT_TRUE(s.up);
    } else {
      went_stale = true;
      EXPECT_GT(*s.playlist_age_seconds, 3 * target);
      EXPECT_FALSE(s.up);
    }
  }
  ASSERT_TRUE(went_stale);
  const HlsStreamState& dead = tracker_.state();
  EXPECT_EQ(dead.error(PlaylistError::kStale), 1u);
  EXPECT_EQ(dead.encoded_bytes_total, AppearedBytes());
  EXPECT_GT(*dead.latency_seconds, 3 * target);  // the edge no longer moves
  for (const PlaylistError kind :
       {PlaylistError::kMediaSequenceBackwards, PlaylistError::kDiscontinuityMiscount,
        PlaylistError::kPlaylistShrank, PlaylistError::kSegmentOverTarget, PlaylistError::kParse}) {
    EXPECT_EQ(dead.error(kind), 0u) << PlaylistErrorName(kind);
  }
}

}  // namespace
}  // namespace vms::hls
