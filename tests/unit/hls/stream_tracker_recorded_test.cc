// The tracker fed with the playlists ffmpeg wrote, as recorded by
// tests/fixtures/hls/make_fixtures.sh: what the exporter will see from a
// real packager, including an encoder restart.

#include <gtest/gtest.h>

#include <set>

#include "hls_fixture.h"
#include "vms/hls/stream_tracker.h"

namespace vms::hls {
namespace {

using test::ExpectNoErrors;
using test::Feed;
using test::LoadCaptures;
using test::ParseMedia;

// Sum of the sizes of every distinct segment (URI and PDT) the captures
// listed, from the listing taken with the playlist that first showed it.
std::uint64_t DistinctSegmentBytes(const std::vector<test::Capture>& captures) {
  std::set<std::pair<std::string, double>> seen;
  std::uint64_t sum = 0;
  for (const auto& c : captures) {
    for (const Segment& s : ParseMedia(c.text).segments) {
      if (seen.insert({s.uri, s.program_date_time.value_or(0)}).second) {
        sum += c.files.at(s.uri).size;
      }
    }
  }
  return sum;
}

TEST(HlsStreamTrackerRecordedTest, FfmpegLiveWindowWithProgramDateTime) {
  const auto captures = LoadCaptures("live_pdt");
  HlsStreamTracker t;
  for (const auto& c : captures) {
    Feed(t, c);
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(t.state().up);
    EXPECT_EQ(t.state().latency_source, TimeSource::kProgramDateTime);
    // Recorded: about 1.5 s behind with 1 s segments, read once a second.
    EXPECT_GT(*t.state().latency_seconds, 0);
    EXPECT_LT(*t.state().latency_seconds, 3);
    EXPECT_LE(*t.state().playlist_age_seconds, 1.5);
  }
  EXPECT_EQ(t.state().segments_total, 8u);  // index0..index7
  EXPECT_EQ(t.state().encoded_bytes_total, DistinctSegmentBytes(captures));
  ExpectNoErrors(t.state());
}

TEST(HlsStreamTrackerRecordedTest, FfmpegWithoutProgramDateTimeUsesMtime) {
  const auto captures = LoadCaptures("live_nopdt");
  HlsStreamTracker t;
  for (const auto& c : captures) {
    Feed(t, c);
    SCOPED_TRACE(c.name);
    EXPECT_EQ(t.state().latency_source, TimeSource::kMtime);
    EXPECT_GE(*t.state().latency_seconds, 0);
    EXPECT_LT(*t.state().latency_seconds, 2);
  }
  EXPECT_EQ(t.state().encoded_bytes_total, DistinctSegmentBytes(captures));
  ExpectNoErrors(t.state());
}

TEST(HlsStreamTrackerRecordedTest, FfmpegRestartIntoTheSameDirectory) {
  const auto captures = LoadCaptures("restart");
  for (const bool with_mtime : {true, false}) {
    SCOPED_TRACE(with_mtime ? "with mtimes" : "PDT only");
    HlsStreamTracker t;
    for (const auto& c : captures) Feed(t, c, with_mtime);
    const HlsStreamState& s = t.state();
    EXPECT_EQ(s.error(PlaylistError::kMediaSequenceBackwards), 1u);
    EXPECT_EQ(s.error(PlaylistError::kPlaylistShrank), 0u);
    EXPECT_EQ(s.error(PlaylistError::kDiscontinuityMiscount), 0u);
    // index1..6 of the first run, index0..2 of the second, though index0 to
    // index2 have the same names and sizes in both.
    EXPECT_EQ(s.segments_total, 9u);
    EXPECT_EQ(s.encoded_bytes_total, DistinctSegmentBytes(captures));
    EXPECT_TRUE(s.up);
  }
}

TEST(HlsStreamTrackerRecordedTest, FfmpegMasterVariantsTrackedApart) {
  for (const char* variant : {"master/stream_240p", "master/stream_120p"}) {
    const auto captures = LoadCaptures(variant);
    HlsStreamTracker t;
    for (const auto& c : captures) Feed(t, c);
    EXPECT_EQ(t.state().encoded_bytes_total, DistinctSegmentBytes(captures)) << variant;
    EXPECT_TRUE(t.state().up);
    ExpectNoErrors(t.state());
  }
}

}  // namespace
}  // namespace vms::hls
