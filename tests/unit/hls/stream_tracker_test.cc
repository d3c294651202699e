#include "vms/hls/stream_tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <set>

#include "hls_fixture.h"

namespace vms::hls {
namespace {

using test::ExpectNoErrors;
using test::ParseMedia;

// A media playlist as a live packager writes it: segment N is "segN.ts",
// with PDT on every segment (as ffmpeg's program_date_time) when `pdt` is set.
struct Window {
  std::uint64_t target = 2;
  std::uint64_t sequence = 0;
  std::size_t count = 5;
  std::uint64_t discontinuity_sequence = 0;
  double duration = 2.0;
  std::optional<double> pdt;  // start of segment 0 of the sequence (not of the window)
  std::set<std::uint64_t> discontinuities;
  std::map<std::uint64_t, double> durations;  // overrides
  bool endlist = false;

  double DurationOf(std::uint64_t n) const {
    const auto it = durations.find(n);
    return it == durations.end() ? duration : it->second;
  }
  double StartOf(std::uint64_t n) const {
    double t = *pdt;
    for (std::uint64_t k = 0; k < n; ++k) t += DurationOf(k);
    return t;
  }
  MediaPlaylist Playlist() const {
    std::string text =
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + std::to_string(target) +
        "\n#EXT-X-MEDIA-SEQUENCE:" + std::to_string(sequence) +
        "\n#EXT-X-DISCONTINUITY-SEQUENCE:" + std::to_string(discontinuity_sequence) + "\n";
    for (std::uint64_t n = sequence; n < sequence + count; ++n) {
      if (discontinuities.count(n)) text += "#EXT-X-DISCONTINUITY\n";
      text += "#EXTINF:" + std::to_string(DurationOf(n)) + ",\n";
      if (pdt) {
        // Whole milliseconds, as encoders write them.
        const long long ms = std::llround(StartOf(n) * 1000);
        char date[64];
        const long long s = ms / 1000;
        std::snprintf(date, sizeof(date), "1970-01-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                      1 + s / 86400, s / 3600 % 24, s / 60 % 60, s % 60, ms % 1000);
        text += std::string("#EXT-X-PROGRAM-DATE-TIME:") + date + "\n";
      }
      text += "seg" + std::to_string(n) + ".ts\n";
    }
    if (endlist) text += "#EXT-X-ENDLIST\n";
    return ParseMedia(text);
  }
};

std::uint64_t SizeOf(std::uint64_t sequence) { return 10000 + sequence; }

// One poll: sizes known for every new segment, mtimes when given.
void Poll(HlsStreamTracker& t, const MediaPlaylist& p, double now,
          std::optional<double> newest_mtime = std::nullopt) {
  std::vector<SegmentFile> files;
  for (const NewSegment& s : t.NewSegments(p)) {
    SegmentFile f{s.sequence, SizeOf(s.sequence), std::nullopt};
    if (newest_mtime && s.sequence + 1 == p.EndSequence()) f.mtime = newest_mtime;
    files.push_back(f);
  }
  t.Observe(p, now, files);
}

std::uint64_t SumSizes(std::uint64_t from, std::uint64_t to) {  // [from, to)
  std::uint64_t sum = 0;
  for (std::uint64_t n = from; n < to; ++n) sum += SizeOf(n);
  return sum;
}

TEST(HlsStreamTrackerTest, SlidingWindowCountsEachSegmentOnce) {
  HlsStreamTracker t;
  Window w;
  EXPECT_EQ(t.NewSegments(w.Playlist()).size(), 5u);  // the first window counts whole
  Poll(t, w.Playlist(), 10);
  w.sequence = 1;
  // NewSegments points into the playlist it is given: keep it alive (ASan
  // found the test reading a temporary's segments).
  const auto playlist = w.Playlist();
  const auto fresh = t.NewSegments(playlist);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].sequence, 5u);
  EXPECT_EQ(fresh[0].segment->uri, "seg5.ts");
  Poll(t, w.Playlist(), 12);
  Poll(t, w.Playlist(), 13);  // unchanged
  w.sequence = 3;             // two slides between polls
  Poll(t, w.Playlist(), 16);
  const HlsStreamState& s = t.state();
  EXPECT_EQ(s.segments_total, 8u);
  EXPECT_EQ(s.encoded_bytes_total, SumSizes(0, 8));
  EXPECT_EQ(s.segments_without_size_total, 0u);
  EXPECT_EQ(s.media_sequence, 3u);
  EXPECT_EQ(s.target_duration, 2u);
  EXPECT_TRUE(s.up);
  ExpectNoErrors(s);
}

TEST(HlsStreamTrackerTest, LatencyFromProgramDateTime) {
  HlsStreamTracker t;
  Window w;
  w.pdt = 1000;  // segments 0..4 cover 1000 to 1010
  Poll(t, w.Playlist(), 1011.5);
  EXPECT_EQ(t.state().latency_source, TimeSource::kProgramDateTime);
  EXPECT_DOUBLE_EQ(*t.state().latency_seconds, 1.5);
  EXPECT_DOUBLE_EQ(*t.state().playlist_age_seconds, 0);
  // No new segment: the edge stays, so latency and age grow with the clock.
  Poll(t, w.Playlist(), 1012.5);
  EXPECT_DOUBLE_EQ(*t.state().latency_seconds, 2.5);
  EXPECT_DOUBLE_EQ(*t.state().playlist_age_seconds, 1);
  w.sequence = 1;
  Poll(t, w.Playlist(), 1013);
  EXPECT_DOUBLE_EQ(*t.state().latency_seconds, 1);
  EXPECT_DOUBLE_EQ(*t.state().playlist_age_seconds, 0);
}

TEST(HlsStreamTrackerTest, LatencyFromMtimeWithoutProgramDateTime) {
  HlsStreamTracker t;
  Window w;
  Poll(t, w.Playlist(), 100, 99.25);
  EXPECT_EQ(t.state().latency_source, TimeSource::kMtime);
  EXPECT_DOUBLE_EQ(*t.state().latency_seconds, 0.75);
  Poll(t, w.Playlist(), 101);  // the newest is the same segment: its mtime still holds
  EXPECT_DOUBLE_EQ(*t.state().latency_seconds, 1.75);
  w.sequence = 1;
  Poll(t, w.Playlist(), 102);  // a new newest segment whose mtime is unknown (HTTP)
  EXPECT_EQ(t.state().latency_source, TimeSource::kNone);
  EXPECT_FALSE(t.state().latency_seconds);
  EXPECT_TRUE(t.state().up);
}

TEST(HlsStreamTrackerTest, StalledPlaylistGoesStaleAfterThreeTargetDurations) {
  HlsStreamTracker t;
  Window w;  // target duration 2 s: stale past 6 s without a new segment
  Poll(t, w.Playlist(), 0);
  Poll(t, w.Playlist(), 6.0);
  EXPECT_TRUE(t.state().fresh);
  EXPECT_TRUE(t.state().up);
  EXPECT_EQ(t.state().error(PlaylistError::kStale), 0u);
  Poll(t, w.Playlist(), 6.5);
  EXPECT_FALSE(t.state().fresh);
  EXPECT_FALSE(t.state().up);
  EXPECT_DOUBLE_EQ(*t.state().playlist_age_seconds, 6.5);
  EXPECT_EQ(t.state().error(PlaylistError::kStale), 1u);
  t.ObserveFetchFailure(9);  // one stall is one error, however long
  Poll(t, w.Playlist(), 12);
  EXPECT_EQ(t.state().error(PlaylistError::kStale), 1u);
  EXPECT_DOUBLE_EQ(*t.state().playlist_age_seconds, 12);
  w.sequence = 1;
  Poll(t, w.Playlist(), 13);
  EXPECT_TRUE(t.state().up);
  t.ObserveFetchFailure(20);  // a stall seen only through failing fetches
  EXPECT_FALSE(t.state().fresh);
  EXPECT_EQ(t.state().error(PlaylistError::kStale), 2u);
}

TEST(HlsStreamTrackerTest, ConfigurableStaleFactor) {
  HlsStreamTracker t(1.5);
  Window w;
  Poll(t, w.Playlist(), 0);
  Poll(t, w.Playlist(), 3.5);
  EXPECT_FALSE(t.state().fresh);
}

TEST(HlsStreamTrackerTest, FetchAndParseFailuresDropUp) {
  HlsStreamTracker t;
  t.ObserveParseError(0);
  EXPECT_FALSE(t.state().has_playlist);
  EXPECT_FALSE(t.state().up);
  EXPECT_EQ(t.state().error(PlaylistError::kParse), 1u);
  Window w;
  Poll(t, w.Playlist(), 1);
  EXPECT_TRUE(t.state().up);
  t.ObserveParseError(2);
  EXPECT_FALSE(t.state().up);
  EXPECT_TRUE(t.state().fresh);  // the last good playlist is recent
  EXPECT_EQ(t.state().error(PlaylistError::kParse), 2u);
  t.ObserveFetchFailure(3);
  EXPECT_FALSE(t.state().up);
  EXPECT_EQ(t.state().error(PlaylistError::kParse), 2u);
  Poll(t, w.Playlist(), 4);
  EXPECT_TRUE(t.state().up);
  EXPECT_EQ(t.state().segments_total, 5u);
}

TEST(HlsStreamTrackerTest, EncoderRestartCountsTheNewRun) {
  HlsStreamTracker t;
  Window w;
  w.pdt = 1000;
  w.sequence = 10;
  Poll(t, w.Playlist(), 1031);
  Window again;  // restarted: sequence 0 again, same names, a later clock
  again.pdt = 2000;
  again.count = 2;
  EXPECT_EQ(t.NewSegments(again.Playlist()).size(), 2u);
  Poll(t, again.Playlist(), 2004.5);
  EXPECT_EQ(t.state().error(PlaylistError::kMediaSequenceBackwards), 1u);
  again.count = 3;
  Poll(t, again.Playlist(), 2006.5);
  const HlsStreamState& s = t.state();
  EXPECT_EQ(s.segments_total, 8u);
  EXPECT_EQ(s.encoded_bytes_total, SumSizes(10, 15) + SumSizes(0, 3));
  EXPECT_EQ(s.error(PlaylistError::kMediaSequenceBackwards), 1u);
  EXPECT_EQ(s.error(PlaylistError::kPlaylistShrank), 0u);
  EXPECT_DOUBLE_EQ(*s.latency_seconds, 0.5);
  EXPECT_TRUE(s.up);
}

TEST(HlsStreamTrackerTest, OlderCopyOfThePlaylistIsNotCountedAgain) {
  HlsStreamTracker t;
  Window w;
  w.pdt = 0;
  w.sequence = 100;
  Poll(t, w.Playlist(), 212);
  Window older = w;  // a cache serving the version before: 99..103
  older.sequence = 99;
  Poll(t, older.Playlist(), 213);
  EXPECT_EQ(t.state().error(PlaylistError::kMediaSequenceBackwards), 1u);
  EXPECT_EQ(t.state().segments_total, 6u);  // 99 had not been seen; 100..103 had
  w.sequence = 101;
  Poll(t, w.Playlist(), 214);
  const HlsStreamState& s = t.state();
  EXPECT_EQ(s.segments_total, 7u);
  EXPECT_EQ(s.encoded_bytes_total, SumSizes(99, 106));
}

TEST(HlsStreamTrackerTest, PlaylistShrankAtItsEnd) {
  HlsStreamTracker t;
  Window w;
  Poll(t, w.Playlist(), 0);
  Window shorter = w;
  shorter.count = 3;  // 0..2: two segments vanished from the end
  Poll(t, shorter.Playlist(), 1);
  EXPECT_EQ(t.state().error(PlaylistError::kPlaylistShrank), 1u);
  EXPECT_DOUBLE_EQ(*t.state().playlist_age_seconds, 1);  // no progress, either way
  Poll(t, w.Playlist(), 2);  // back: 3 and 4 are the same segments as before
  EXPECT_EQ(t.state().segments_total, 5u);
  EXPECT_DOUBLE_EQ(*t.state().playlist_age_seconds, 2);
  Window slid = w;
  slid.sequence = 1;
  slid.count = 3;  // 1..3: the end went from 5 to 4
  Poll(t, slid.Playlist(), 3);
  EXPECT_EQ(t.state().error(PlaylistError::kPlaylistShrank), 2u);
  Window fewer = w;
  fewer.sequence = 3;
  fewer.count = 2;  // 3..4: fewer segments, but only from the start: fine
  Poll(t, fewer.Playlist(), 4);
  EXPECT_EQ(t.state().error(PlaylistError::kPlaylistShrank), 2u);
  EXPECT_EQ(t.state().error(PlaylistError::kMediaSequenceBackwards), 0u);
}

TEST(HlsStreamTrackerTest, DiscontinuitySequenceMustCountWhatScrolledOff) {
  auto run = [](std::uint64_t next_sequence, std::uint64_t next_dsn) {
    HlsStreamTracker t;
    Window w;
    w.discontinuities = {2, 6};
    Poll(t, w.Playlist(), 0);  // 0..4, a discontinuity before 2
    w.sequence = next_sequence;
    w.discontinuity_sequence = next_dsn;
    Poll(t, w.Playlist(), 1);
    return t.state().error(PlaylistError::kDiscontinuityMiscount);
  };
  EXPECT_EQ(run(2, 0), 0u);  // 0 and 1 left, no discontinuity among them
  EXPECT_EQ(run(3, 1), 0u);  // 2 left with its discontinuity
  EXPECT_EQ(run(3, 0), 1u);  // ... but the sequence did not move
  EXPECT_EQ(run(3, 2), 1u);  // ... or moved too far
  EXPECT_EQ(run(1, 1), 1u);  // moved with nothing to count
  // Sliding past the whole window, this tracker cannot know what else left:
  // at least the one it saw.
  EXPECT_EQ(run(20, 1), 0u);
  EXPECT_EQ(run(20, 4), 0u);
  EXPECT_EQ(run(20, 0), 1u);
}

TEST(HlsStreamTrackerTest, SegmentOverTargetCountedOncePerSegment) {
  HlsStreamTracker t;
  Window w;
  w.durations = {{3, 2.4}, {5, 2.6}};  // 2.4 rounds to 2: allowed; 2.6 to 3: not
  Poll(t, w.Playlist(), 0);
  EXPECT_EQ(t.state().error(PlaylistError::kSegmentOverTarget), 0u);
  w.sequence = 1;
  Poll(t, w.Playlist(), 2);
  EXPECT_EQ(t.state().error(PlaylistError::kSegmentOverTarget), 1u);
  w.sequence = 2;
  Poll(t, w.Playlist(), 4);  // 5 still listed: not counted again
  EXPECT_EQ(t.state().error(PlaylistError::kSegmentOverTarget), 1u);
}

TEST(HlsStreamTrackerTest, UnknownSizesAreCountedAsSuch) {
  HlsStreamTracker t;
  Window w;
  t.Observe(w.Playlist(), 0, {{0, 7, std::nullopt}, {42, 1, std::nullopt}});
  EXPECT_EQ(t.state().segments_total, 5u);
  EXPECT_EQ(t.state().encoded_bytes_total, 7u);
  EXPECT_EQ(t.state().segments_without_size_total, 4u);
}

TEST(HlsStreamTrackerTest, EndedPlaylistIsNeitherUpNorStale) {
  HlsStreamTracker t;
  Window w;
  w.endlist = true;
  Poll(t, w.Playlist(), 0);
  EXPECT_TRUE(t.state().ended);
  EXPECT_FALSE(t.state().up);
  Poll(t, w.Playlist(), 100);
  EXPECT_EQ(t.state().error(PlaylistError::kStale), 0u);
}

TEST(HlsStreamTrackerTest, EmptyPlaylistGoesStaleFromFirstSight) {
  HlsStreamTracker t;
  Window w;
  w.count = 0;
  Poll(t, w.Playlist(), 0);
  EXPECT_TRUE(t.state().up);
  EXPECT_FALSE(t.state().latency_seconds);
  Poll(t, w.Playlist(), 7);
  EXPECT_EQ(t.state().error(PlaylistError::kStale), 1u);
}

TEST(HlsStreamTrackerTest, LowLatencyPartAgeFromProgramDateTime) {
  HlsStreamTracker t;
  const MediaPlaylist p = ParseMedia(test::ReadFixture("ll_hls/low_latency.m3u8"));
  const double edge_272 = *SegmentStartTime(p, 8) + 4.00008;  // 02:14:04.10608
  const double now = edge_272 + 3 * 0.33334 + 0.25;
  t.Observe(p, now, {});
  const HlsStreamState& s = t.state();
  EXPECT_EQ(s.part_age_source, TimeSource::kProgramDateTime);
  EXPECT_NEAR(*s.newest_part_age_seconds, 0.25, 1e-6);  // doubles near 1.5e9 s
  EXPECT_NEAR(*s.latency_seconds, 3 * 0.33334 + 0.25, 1e-6);
  EXPECT_EQ(s.segments_total, 9u);
  EXPECT_EQ(s.segments_without_size_total, 9u);
  ExpectNoErrors(s);

  // The delta update (8216bis 4.4.5.2) lists 267..272 after skipping three:
  // nothing new, nothing wrong, one more part.
  const MediaPlaylist delta = ParseMedia(test::ReadFixture("ll_hls/delta_update.m3u8"));
  EXPECT_TRUE(t.NewSegments(delta).empty());
  t.Observe(delta, now + 0.1, {});
  EXPECT_EQ(t.state().segments_total, 9u);
  EXPECT_NEAR(*t.state().newest_part_age_seconds, 0.1 + 0.25 - 0.33334, 1e-6);
  ExpectNoErrors(t.state());
}

TEST(HlsStreamTrackerTest, LowLatencyPartAgeWithoutProgramDateTime) {
  const std::string head =
      "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART-INF:PART-TARGET=0.5\n"
      "#EXTINF:2,\ns0.mp4\n";
  HlsStreamTracker t;
  t.Observe(ParseMedia(head + "#EXT-X-PART:DURATION=0.5,URI=\"p1.mp4\"\n"), 10, {});
  EXPECT_EQ(t.state().part_age_source, TimeSource::kFirstSeen);
  EXPECT_DOUBLE_EQ(*t.state().newest_part_age_seconds, 0);
  t.Observe(ParseMedia(head + "#EXT-X-PART:DURATION=0.5,URI=\"p1.mp4\"\n"), 10.4, {});
  EXPECT_NEAR(*t.state().newest_part_age_seconds, 0.4, 1e-9);
  t.Observe(ParseMedia(head + "#EXT-X-PART:DURATION=0.5,URI=\"p1.mp4\"\n"
                              "#EXT-X-PART:DURATION=0.5,URI=\"p2.mp4\"\n"),
            10.6, {});
  EXPECT_DOUBLE_EQ(*t.state().newest_part_age_seconds, 0);
  t.Observe(ParseMedia(head), 10.7, {});  // no parts listed: no age
  EXPECT_FALSE(t.state().newest_part_age_seconds);
  EXPECT_EQ(t.state().part_age_source, TimeSource::kNone);
}

TEST(HlsStreamTrackerTest, LabelNames) {
  EXPECT_EQ(PlaylistErrorName(PlaylistError::kMediaSequenceBackwards), "media_sequence_backwards");
  EXPECT_EQ(PlaylistErrorName(PlaylistError::kDiscontinuityMiscount), "discontinuity_miscount");
  EXPECT_EQ(PlaylistErrorName(PlaylistError::kPlaylistShrank), "playlist_shrank");
  EXPECT_EQ(PlaylistErrorName(PlaylistError::kSegmentOverTarget), "segment_over_target");
  EXPECT_EQ(PlaylistErrorName(PlaylistError::kStale), "stale");
  EXPECT_EQ(PlaylistErrorName(PlaylistError::kParse), "parse");
  EXPECT_EQ(TimeSourceName(TimeSource::kProgramDateTime), "pdt");
  EXPECT_EQ(TimeSourceName(TimeSource::kMtime), "mtime");
  EXPECT_EQ(TimeSourceName(TimeSource::kFirstSeen), "first_seen");
  EXPECT_EQ(TimeSourceName(TimeSource::kNone), "none");
}

}  // namespace
}  // namespace vms::hls
