#include "vms/hls/playlist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "hls_fixture.h"
#include "vms/hls/date_time.h"
#include "vms/hls/quality.h"

namespace vms::hls {
namespace {

using test::ParseMedia;
using test::ReadFixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Result<Playlist> Parse(const std::string& text) { return ParsePlaylist(text); }

TEST(PlaylistTest, FfmpegLiveWindowWithProgramDateTime) {
  const MediaPlaylist p = ParseMedia(ReadFixture("live_pdt/07.m3u8"));
  EXPECT_EQ(p.version, 3);
  EXPECT_EQ(p.target_duration, 1u);
  EXPECT_EQ(p.media_sequence, 3u);
  EXPECT_FALSE(p.endlist);
  ASSERT_EQ(p.segments.size(), 5u);
  EXPECT_EQ(p.EndSequence(), 8u);
  for (std::size_t i = 0; i < p.segments.size(); ++i) {
    const Segment& s = p.segments[i];
    EXPECT_EQ(s.uri, "index" + std::to_string(3 + i) + ".ts");
    EXPECT_EQ(s.duration, 1.0);
    EXPECT_EQ(s.title, "");
    // ffmpeg writes the PDT between EXTINF and the URI: it still belongs to
    // this segment.
    ASSERT_TRUE(s.program_date_time);
    EXPECT_NEAR(*s.program_date_time, *ParseDateTime("2026-12-03T13:38:21.403Z") + i, 1e-6);
    EXPECT_EQ(SegmentStartTime(p, i), s.program_date_time);
  }
}

TEST(PlaylistTest, EveryRecordedCaptureParses) {
  for (const char* dir :
       {"live_pdt", "live_nopdt", "restart", "master/stream_240p", "master/stream_120p"}) {
    for (const auto& capture : test::LoadCaptures(dir)) {
      SCOPED_TRACE(std::string(dir) + "/" + capture.name);
      const MediaPlaylist p = ParseMedia(capture.text);
      EXPECT_EQ(p.target_duration, 1u);
      EXPECT_FALSE(p.segments.empty());
      for (const Segment& s : p.segments) {
        // Every listed segment was on disk when the playlist was read.
        EXPECT_EQ(capture.files.count(s.uri), 1u) << s.uri;
        EXPECT_EQ(s.program_date_time.has_value(), std::string(dir) != "live_nopdt");
      }
    }
  }
}

TEST(PlaylistTest, FfmpegWithoutProgramDateTime) {
  const MediaPlaylist p = ParseMedia(ReadFixture("live_nopdt/05.m3u8"));
  ASSERT_EQ(p.segments.size(), 5u);
  EXPECT_EQ(p.media_sequence, 1u);
  EXPECT_FALSE(SegmentStartTime(p, 4));
}

TEST(PlaylistTest, FfmpegMasterWithTwoVariants) {
  const auto parsed = Parse(ReadFixture("master/master.m3u8"));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_TRUE(parsed->is_master());
  const MasterPlaylist& m = *parsed->master();
  EXPECT_EQ(m.version, 3);
  ASSERT_EQ(m.variants.size(), 2u);
  EXPECT_EQ(m.variants[0].bandwidth, 440000u);
  EXPECT_EQ(m.variants[0].width, 320);
  EXPECT_EQ(m.variants[0].height, 240);
  EXPECT_EQ(m.variants[0].codecs, "avc1.64000d");
  EXPECT_EQ(m.variants[0].uri, "stream_240p/index.m3u8");
  EXPECT_EQ(m.variants[1].bandwidth, 165000u);
  EXPECT_EQ(m.variants[1].uri, "stream_120p/index.m3u8");
  EXPECT_THAT(QualityLabels(m), ElementsAre("320x240", "160x120"));
}

TEST(PlaylistTest, Rfc8216SimpleAndLiveMedia) {
  const MediaPlaylist simple = ParseMedia(ReadFixture("rfc8216/8.1_simple_media.m3u8"));
  EXPECT_EQ(simple.target_duration, 10u);
  EXPECT_TRUE(simple.endlist);
  ASSERT_EQ(simple.segments.size(), 3u);
  EXPECT_EQ(simple.segments[0].duration, 9.009);
  EXPECT_EQ(simple.segments[2].uri, "http://media.example.com/third.ts");

  const MediaPlaylist live = ParseMedia(ReadFixture("rfc8216/8.2_live_https.m3u8"));
  EXPECT_EQ(live.media_sequence, 2680u);
  EXPECT_EQ(live.target_duration, 8u);
  ASSERT_EQ(live.segments.size(), 3u);
  EXPECT_EQ(live.segments[1].duration, 7.941);
  EXPECT_EQ(live.SequenceOf(2), 2682u);

  const MediaPlaylist encrypted = ParseMedia(ReadFixture("rfc8216/8.3_encrypted.m3u8"));
  EXPECT_EQ(encrypted.media_sequence, 7794u);
  ASSERT_EQ(encrypted.segments.size(), 4u);
  EXPECT_EQ(encrypted.segments[3].uri, "http://media.example.com/fileSequence53-A.ts");
}

TEST(PlaylistTest, Rfc8216Masters) {
  const auto plain = Parse(ReadFixture("rfc8216/8.4_master.m3u8"));
  ASSERT_TRUE(plain.ok()) << plain.error();
  const MasterPlaylist& m = *plain->master();
  ASSERT_EQ(m.variants.size(), 4u);
  EXPECT_EQ(m.variants[0].average_bandwidth, 1000000u);
  EXPECT_EQ(m.variants[3].codecs, "mp4a.40.5");
  EXPECT_THAT(QualityLabels(m), ElementsAre("1280k", "2560k", "7680k", "65k"));

  const auto iframes = Parse(ReadFixture("rfc8216/8.5_master_iframes.m3u8"));
  ASSERT_TRUE(iframes.ok()) << iframes.error();
  EXPECT_EQ(iframes->master()->variants.size(), 4u);
  ASSERT_EQ(iframes->master()->i_frame_variants.size(), 3u);
  EXPECT_EQ(iframes->master()->i_frame_variants[1].uri, "mid/iframe.m3u8");
  EXPECT_EQ(iframes->master()->i_frame_variants[1].bandwidth, 150000u);

  const auto audio = Parse(ReadFixture("rfc8216/8.6_master_alternative_audio.m3u8"));
  ASSERT_TRUE(audio.ok()) << audio.error();
  const MasterPlaylist& a = *audio->master();
  ASSERT_EQ(a.renditions.size(), 3u);
  EXPECT_EQ(a.renditions[1].type, "AUDIO");
  EXPECT_EQ(a.renditions[1].group_id, "aac");
  EXPECT_EQ(a.renditions[1].name, "Deutsch");
  EXPECT_EQ(a.renditions[1].language, "de");
  EXPECT_FALSE(a.renditions[1].is_default);
  EXPECT_TRUE(a.renditions[1].autoselect);
  EXPECT_TRUE(a.renditions[0].is_default);
  EXPECT_EQ(a.renditions[2].uri, "commentary/audio-only.m3u8");
  ASSERT_EQ(a.variants.size(), 4u);
  EXPECT_EQ(a.variants[0].audio_group, "aac");
}

TEST(PlaylistTest, LowLatencyExample) {
  const MediaPlaylist p = ParseMedia(ReadFixture("ll_hls/low_latency.m3u8"));
  EXPECT_EQ(p.version, 6);
  EXPECT_EQ(p.target_duration, 4u);
  EXPECT_EQ(p.media_sequence, 264u);
  ASSERT_TRUE(p.server_control);
  EXPECT_TRUE(p.server_control->can_block_reload);
  EXPECT_EQ(p.server_control->part_hold_back, 1.0);
  EXPECT_EQ(p.server_control->can_skip_until, 24.0);
  EXPECT_FALSE(p.server_control->hold_back);
  EXPECT_FALSE(p.server_control->can_skip_dateranges);
  EXPECT_EQ(p.part_target, 0.33334);
  ASSERT_EQ(p.segments.size(), 9u);  // 264 to 272
  EXPECT_EQ(p.SequenceOf(8), 272u);
  EXPECT_EQ(p.segments[8].uri, "fileSequence272.mp4");
  EXPECT_TRUE(p.segments[6].parts.empty());
  ASSERT_EQ(p.segments[7].parts.size(), 12u);  // 271's parts, listed before its EXTINF
  EXPECT_EQ(p.segments[7].parts[4].uri, "filePart271.4.mp4");
  EXPECT_TRUE(p.segments[7].parts[4].independent);
  EXPECT_FALSE(p.segments[7].parts[5].independent);
  EXPECT_EQ(p.segments[7].parts[11].duration, 0.33334);
  ASSERT_EQ(p.segments[8].parts.size(), 12u);
  ASSERT_EQ(p.pending_parts.size(), 3u);  // 273 is still being produced
  EXPECT_EQ(p.pending_parts[2].uri, "filePart273.2.mp4");
  ASSERT_EQ(p.preload_hints.size(), 1u);
  EXPECT_EQ(p.preload_hints[0].type, "PART");
  EXPECT_EQ(p.preload_hints[0].uri, "filePart273.3.mp4");
  ASSERT_EQ(p.rendition_reports.size(), 2u);
  EXPECT_EQ(p.rendition_reports[1].uri, "../4M/waitForMSN.php");
  EXPECT_EQ(p.rendition_reports[1].last_msn, 273u);
  EXPECT_EQ(p.rendition_reports[1].last_part, 1u);

  // The first PDT dates 264; 271 is seven EXTINFs later; 272 has its own.
  const double first = *ParseDateTime("2019-02-14T02:13:28.106Z");
  EXPECT_NEAR(*SegmentStartTime(p, 7), first + 7 * 4.00008, 1e-6);
  EXPECT_NEAR(*SegmentStartTime(p, 8), *ParseDateTime("2019-02-14T02:14:00.106Z"), 1e-6);
}

TEST(PlaylistTest, LowLatencyDeltaUpdateSkipsSegments) {
  const MediaPlaylist p = ParseMedia(ReadFixture("ll_hls/delta_update.m3u8"));
  EXPECT_EQ(p.version, 10);
  EXPECT_EQ(p.media_sequence, 264u);
  EXPECT_EQ(p.skipped_segments, 3u);
  ASSERT_EQ(p.segments.size(), 6u);
  EXPECT_EQ(p.SequenceOf(0), 267u);
  EXPECT_EQ(p.segments[0].uri, "fileSequence267.mp4");
  EXPECT_EQ(p.EndSequence(), 273u);
  EXPECT_EQ(p.pending_parts.size(), 4u);
  EXPECT_EQ(p.preload_hints[0].uri, "filePart273.4.mp4");
  EXPECT_EQ(p.rendition_reports[0].last_part, 3u);
}

TEST(PlaylistTest, LowLatencyByteRangeParts) {
  const MediaPlaylist p = ParseMedia(ReadFixture("ll_hls/byterange_parts_update2.m3u8"));
  ASSERT_EQ(p.segments.size(), 2u);
  ASSERT_EQ(p.segments[1].parts.size(), 4u);
  const Part& part = p.segments[1].parts[3];
  EXPECT_EQ(part.uri, "fs271.mp4");
  ASSERT_TRUE(part.byte_range);
  EXPECT_EQ(part.byte_range->length, 19000u);
  EXPECT_EQ(part.byte_range->offset, 61000u);
  EXPECT_TRUE(p.pending_parts.empty());
  ASSERT_EQ(p.preload_hints.size(), 1u);
  EXPECT_EQ(p.preload_hints[0].byte_range_start, 0u);
  EXPECT_FALSE(p.preload_hints[0].byte_range_length);
}

TEST(PlaylistTest, MediaTagsOfEveryKind) {
  const MediaPlaylist p = ParseMedia(
      "\xEF\xBB\xBF#EXTM3U\r\n"
      "#EXT-X-VERSION:7\r\n"
      "#EXT-X-TARGETDURATION:6\r\n"
      "#EXT-X-MEDIA-SEQUENCE:10\r\n"
      "#EXT-X-DISCONTINUITY-SEQUENCE:2\r\n"
      "#EXT-X-PLAYLIST-TYPE:EVENT\r\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\r\n"
      "# a comment\r\n"
      "#EXT-X-VENDOR-THING:whatever,\"x\r\n"
      "#EXTINF:5.5,Lobby camera\r\n"
      "#EXT-X-BYTERANGE:1000@200\r\n"
      "a.ts\r\n"
      "\r\n"
      "#EXT-X-DISCONTINUITY\r\n"
      "#EXT-X-GAP\r\n"
      "#EXTINF:6\r\n"
      "  b.ts  \r\n"
      "#EXT-X-ENDLIST\r\n");
  EXPECT_EQ(p.version, 7);
  EXPECT_EQ(p.discontinuity_sequence, 2u);
  EXPECT_EQ(p.type, PlaylistType::kEvent);
  EXPECT_TRUE(p.independent_segments);
  EXPECT_TRUE(p.endlist);
  ASSERT_EQ(p.segments.size(), 2u);
  EXPECT_EQ(p.segments[0].title, "Lobby camera");
  ASSERT_TRUE(p.segments[0].byte_range);
  EXPECT_EQ(p.segments[0].byte_range->length, 1000u);
  EXPECT_EQ(p.segments[0].byte_range->offset, 200u);
  EXPECT_FALSE(p.segments[0].discontinuity);
  EXPECT_TRUE(p.segments[1].discontinuity);
  EXPECT_TRUE(p.segments[1].gap);
  EXPECT_EQ(p.segments[1].duration, 6.0);
  EXPECT_EQ(p.segments[1].uri, "b.ts");
}

TEST(PlaylistTest, DateExtrapolationStopsAtADiscontinuity) {
  const MediaPlaylist p = ParseMedia(
      "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
      "#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:40Z\n#EXTINF:2,\na.ts\n"
      "#EXTINF:1.5,\nb.ts\n"
      "#EXT-X-DISCONTINUITY\n#EXTINF:2,\nc.ts\n"
      "#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:03:20Z\n#EXTINF:2,\nd.ts\n"
      "#EXTINF:2,\ne.ts\n");
  EXPECT_EQ(SegmentStartTime(p, 0), 100.0);
  EXPECT_EQ(SegmentStartTime(p, 1), 102.0);
  EXPECT_FALSE(SegmentStartTime(p, 2));
  EXPECT_EQ(SegmentStartTime(p, 3), 200.0);
  EXPECT_EQ(SegmentStartTime(p, 4), 202.0);
  EXPECT_FALSE(SegmentStartTime(p, 5));
}

TEST(PlaylistTest, VariantAttributes) {
  const auto parsed = Parse(
      "#EXTM3U\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=2560000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,"
      "FRAME-RATE=29.970,CODECS=\"avc1.4d401f,mp4a.40.2\",NAME=\"720p HQ\",VIDEO=\"v\"\n"
      "720/index.m3u8\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const Variant& v = parsed->master()->variants.at(0);
  EXPECT_EQ(v.frame_rate, 29.97);
  EXPECT_EQ(v.codecs, "avc1.4d401f,mp4a.40.2");
  EXPECT_EQ(v.name, "720p HQ");
  EXPECT_EQ(v.video_group, "v");
  EXPECT_THAT(QualityLabels(*parsed->master()), ElementsAre("720p_HQ"));
}

TEST(PlaylistTest, ErrorsNameTheLine) {
  const std::string head = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n";
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"", "first line is not #EXTM3U"},
      {"#EXTINF:1,\na.ts\n", "first line is not #EXTM3U"},
      {"#EXTM3U\n#EXTINF:1,\na.ts\n", "no EXT-X-TARGETDURATION"},
      {head + "a.ts\n", "line 3: segment URI without EXTINF"},
      {head + "#EXTINF:abc,\na.ts\n", "line 3: EXTINF duration"},
      {head + "#EXTINF:-1,\na.ts\n", "line 3: EXTINF duration"},
      {head + "#EXT-X-PROGRAM-DATE-TIME:yesterday\n", "line 3: EXT-X-PROGRAM-DATE-TIME"},
      {head + "#EXT-X-BYTERANGE:12@\n", "line 3: EXT-X-BYTERANGE"},
      {head + "#EXT-X-MEDIA-SEQUENCE:-4\n", "line 3: EXT-X-MEDIA-SEQUENCE"},
      {head + "#EXT-X-PLAYLIST-TYPE:LIVE\n", "line 3: EXT-X-PLAYLIST-TYPE"},
      {head + "#EXT-X-PART:DURATION=0.5\n", "line 3: EXT-X-PART attribute URI is required"},
      {head + "#EXT-X-PART:DURATION=0.5,URI=\"p\",BYTERANGE=\"x\"\n",
       "line 3: EXT-X-PART BYTERANGE"},
      {head + "#EXT-X-PART-INF:PART-TARGET=\"1\"\n",
       "line 3: EXT-X-PART-INF attribute PART-TARGET"},
      {head + "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=MAYBE\n", "line 3: EXT-X-SERVER-CONTROL"},
      {head + "#EXT-X-PRELOAD-HINT:URI=\"p\"\n", "line 3: EXT-X-PRELOAD-HINT attribute TYPE"},
      {head + "#EXT-X-RENDITION-REPORT:LAST-MSN=3\n",
       "line 3: EXT-X-RENDITION-REPORT attribute URI"},
      {head + "#EXTINF:1,\na.ts\n#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n",
       "line 5: EXT-X-SKIP after a segment"},
      {head + "#EXTM3U\n", "line 3: #EXTM3U repeated"},
      {"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXTINF:1,\nb.ts\n",
       "mixes master playlist tags (line 2) with media playlist tags (line 4)"},
      {"#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n",
       "line 2: EXT-X-STREAM-INF attribute BANDWIDTH"},
      {"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", "has no URI line"},
      {"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-STREAM-INF:BANDWIDTH=2\n", "line 3"},
      {"#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,NAME=\"x\"\n", "line 2: EXT-X-MEDIA attribute GROUP-ID"},
      {"#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"x\"\nstray.m3u8\n",
       "line 3: URI line without EXT-X-STREAM-INF"},
  };
  for (const Case& c : cases) {
    const auto parsed = Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr(c.message)) << c.text;
  }
}

TEST(PlaylistTest, BoundsAreErrors) {
  std::string long_line =
      "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1,\n" + std::string(kMaxLineBytes + 1, 'a') + "\n";
  EXPECT_THAT(Parse(long_line).error(), HasSubstr("line 4: longer than"));

  std::string many = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n";
  for (std::size_t i = 0; i <= kMaxSegments; ++i) many += "#EXTINF:1,\na.ts\n";
  EXPECT_THAT(Parse(many).error(), HasSubstr("more than 20000 segments"));

  std::string parts = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n";
  for (std::size_t i = 0; i <= kMaxParts; ++i) parts += "#EXT-X-PART:DURATION=1,URI=\"p\"\n";
  EXPECT_THAT(Parse(parts).error(), HasSubstr("parts"));

  EXPECT_THAT(Parse("#EXTM3U\n" + std::string(kMaxPlaylistBytes, '\n')).error(),
              HasSubstr("larger than"));
  EXPECT_FALSE(Parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:"
                     "9223372036854775808\n")
                   .ok());
}

// Hostile input: every prefix of real playlists and random mutations of
// them parse or fail, never crash (the fuzzer goes further).
TEST(PlaylistTest, TruncationsAndMutationsNeverCrash) {
  std::mt19937 random(8216);
  for (const char* name : {"live_pdt/07.m3u8", "master/master.m3u8", "ll_hls/low_latency.m3u8",
                           "rfc8216/8.6_master_alternative_audio.m3u8"}) {
    const std::string text = ReadFixture(name);
    for (std::size_t n = 0; n <= text.size(); ++n) (void)Parse(text.substr(0, n));
    for (int round = 0; round < 2000; ++round) {
      std::string mutated = text;
      const int edits = 1 + static_cast<int>(random() % 8);
      for (int e = 0; e < edits; ++e) {
        mutated[random() % mutated.size()] = static_cast<char>(random() % 256);
      }
      (void)Parse(mutated);
    }
  }
}

}  // namespace
}  // namespace vms::hls
