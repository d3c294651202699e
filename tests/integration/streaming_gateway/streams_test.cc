// The streaming gateway exporter against real restreams: a real ffmpeg
// packaging live HLS into a temp dir (the files nginx would serve), and the
// gst-rtsp-server simulator as an RTSP restream.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/camera_sim.h"
#include "support/exporter_process.h"
#include "support/hls_packager.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/nginx_process.h"
#include "support/subprocess.h"

namespace vms::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::Optional;

auto Equals(double want) {
  return [want](std::optional<double> v) { return v && *v == want; };
}
auto AtLeast(double want) {
  return [want](std::optional<double> v) { return v && *v >= want; };
}

std::string Series(const std::string& name, const std::string& camera, const std::string& extra) {
  return name + "{camera_id=\"" + camera + "\"" + (extra.empty() ? "" : "," + extra) + "}";
}

class StreamsTest : public ::testing::Test {
 protected:
  void StartExporter(const std::string& streams) {
    const std::string config = dir_ + "/gateway.yml";
    std::ofstream(config) << "probes:\n  interval: 1s\n  timeout: 1s\nstreams:\n" << streams;
    exporter_ = std::make_unique<ExporterProcess>(
        "streaming_gateway_exporter", std::vector<std::string>{"--config.file=" + config});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }
  unsigned short port() const { return exporter_->port(); }

  // Sizes of the segments a packager left in `dir` (finished ones: temp_file
  // writes a segment as .tmp and renames it when complete).
  static std::pair<int, std::uint64_t> Segments(const std::string& dir) {
    int count = 0;
    std::uint64_t bytes = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".ts") continue;
      ++count;
      bytes += e.file_size();
    }
    return {count, bytes};
  }

  std::string dir_ = MakeTempDir();
  std::unique_ptr<ExporterProcess> exporter_;
};

// A live packager: up, a latency of a few target durations at most, and
// every segment's bytes counted exactly once, until ENDLIST ends the stream.
TEST_F(StreamsTest, LocalHlsIsLiveCountsEverySegmentAndEnds) {
  HlsPackager packager(dir_, {.list_size = 0, .delete_segments = false});
  StartExporter("  - camera_id: lobby\n    hls: " + packager.playlist() +
                "\n    hls_interval: 300ms\n");
  const std::string up = Series("stream_up", "lobby", "protocol=\"hls\"");
  ASSERT_THAT(WaitForSample(port(), up, Equals(1), 20s), Optional(1.0))
      << exporter_->Log() << packager.Log();
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, Series("stream_latency_seconds", "lobby", "protocol=\"hls\"")),
              Optional(AllOf(Ge(0.0), Le(3.0))));
  EXPECT_THAT(
      FindSample(body, Series("hls_target_duration_seconds", "lobby", "quality=\"default\"")),
      Optional(1.0));
  EXPECT_THAT(FindSample(body, "active_streams"), Optional(1.0));
  ASSERT_THAT(WaitForSample(port(), Series("hls_segments_total", "lobby", "quality=\"default\""),
                            AtLeast(3), 20s),
              Optional(Ge(3.0)));

  packager.Stop();  // the last segment is finished and the playlist ended
  const auto [segments, bytes] = Segments(dir_);
  EXPECT_THAT(WaitForSample(port(), up, Equals(0), 10s), Optional(0.0));
  EXPECT_THAT(WaitForSample(port(), Series("hls_segments_total", "lobby", "quality=\"default\""),
                            Equals(segments), 10s),
              Optional(static_cast<double>(segments)));
  const std::string after = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(
      FindSample(after, Series("stream_encoded_bytes_total", "lobby", "quality=\"default\"")),
      Optional(static_cast<double>(bytes)));
  for (const char* kind : {"media_sequence_backwards", "discontinuity_miscount", "playlist_shrank",
                           "segment_over_target", "stale", "parse"}) {
    EXPECT_THAT(FindSample(after, Series("hls_playlist_errors_total", "lobby",
                                         std::string("kind=\"") + kind + "\"")),
                Optional(0.0))
        << kind;
  }
  const auto lint = RunCommand("curl -s 127.0.0.1:" + std::to_string(port()) +
                               "/metrics | promtool check metrics");
  EXPECT_EQ(lint.output, "");
}

// The same over HTTP from a real nginx serving the packager's files: the
// playlist by GET, each new segment's size by HEAD (Content-Length).
TEST_F(StreamsTest, HlsOverHttpFromNginxCountsEverySegment) {
  const std::string hls = dir_ + "/hls";
  fs::create_directories(hls);
  // nginx's worker runs as an unprivileged user: the temp dir must be readable.
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  HlsPackager packager(hls, {.list_size = 0, .delete_segments = false});
  NginxProcess nginx("", "location /hls/ { alias " + hls + "/; }");
  ASSERT_TRUE(nginx.ready()) << nginx.ErrorLog();
  StartExporter("  - camera_id: lobby\n    hls: http://127.0.0.1:" + std::to_string(nginx.port()) +
                "/hls/index.m3u8\n    hls_interval: 300ms\n");
  const std::string up = Series("stream_up", "lobby", "protocol=\"hls\"");
  ASSERT_THAT(WaitForSample(port(), up, Equals(1), 20s), Optional(1.0))
      << exporter_->Log() << nginx.ErrorLog();
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body,
                         Series("stream_latency_seconds", "lobby", "protocol=\"hls\"")),
              Optional(AllOf(Ge(0.0), Le(3.0))));
  ASSERT_THAT(WaitForSample(port(), Series("hls_segments_total", "lobby", "quality=\"default\""),
                            AtLeast(3), 20s),
              Optional(Ge(3.0)));
  packager.Stop();
  const auto [segments, bytes] = Segments(hls);
  EXPECT_THAT(WaitForSample(port(), Series("hls_segments_total", "lobby", "quality=\"default\""),
                            Equals(segments), 10s),
              Optional(static_cast<double>(segments)));
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body,
                         Series("stream_encoded_bytes_total", "lobby", "quality=\"default\"")),
              Optional(static_cast<double>(bytes)));
  // A playlist that is not there is a fetch error, HTTP 404 on the page.
  StartExporter("  - camera_id: gone\n    hls: http://127.0.0.1:" + std::to_string(nginx.port()) +
                "/hls/missing.m3u8\n    hls_interval: 300ms\n");
  EXPECT_THAT(WaitForSample(port(), Series("hls_playlist_errors_total", "gone", "kind=\"fetch\""),
                            AtLeast(1), 10s),
              Optional(Ge(1.0)));
  EXPECT_THAT(HttpGet(port(), "/").body, HasSubstr("HTTP 404"));
}

// A packager that freezes (SIGSTOP) leaves its last playlist on disk: the
// stream goes stale after 3 target durations, counted once, and comes back.
TEST_F(StreamsTest, FrozenPackagerGoesStaleOnceAndRecovers) {
  HlsPackager packager(dir_, {});
  StartExporter("  - camera_id: lobby\n    hls: " + packager.playlist() +
                "\n    hls_interval: 300ms\n");
  const std::string up = Series("stream_up", "lobby", "protocol=\"hls\"");
  ASSERT_THAT(WaitForSample(port(), up, Equals(1), 20s), Optional(1.0)) << exporter_->Log();
  packager.process().Signal(SIGSTOP);
  EXPECT_THAT(WaitForSample(port(), up, Equals(0), 15s), Optional(0.0));
  const std::string stale = Series("hls_playlist_errors_total", "lobby", "kind=\"stale\"");
  EXPECT_THAT(WaitForSample(port(), stale, Equals(1), 5s), Optional(1.0));
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body,
                         Series("hls_playlist_age_seconds", "lobby", "quality=\"default\"")),
              Optional(Ge(3.0)));
  packager.process().Signal(SIGCONT);
  EXPECT_THAT(WaitForSample(port(), up, Equals(1), 15s), Optional(1.0));
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, stale), Optional(1.0));
  EXPECT_THAT(HttpGet(port(), "/").body, HasSubstr("default up"));
}

// A master playlist: each variant is followed under its own quality label
// (ffmpeg's master names no variant, so the label is its RESOLUTION).
TEST_F(StreamsTest, MasterPlaylistVariantsHaveTheirOwnSeries) {
  HlsPackager packager(dir_, {.variants = 2});
  StartExporter("  - camera_id: hall\n    hls: " + packager.playlist() +
                "\n    hls_interval: 300ms\n");
  ASSERT_THAT(
      WaitForSample(port(), Series("stream_up", "hall", "protocol=\"hls\""), Equals(1), 20s),
      Optional(1.0))
      << exporter_->Log() << packager.Log();
  for (const char* quality : {"320x240", "160x120"}) {
    const std::string q = std::string("quality=\"") + quality + "\"";
    EXPECT_THAT(
        WaitForSample(port(), Series("stream_encoded_bytes_total", "hall", q), AtLeast(1), 10s),
        Optional(Ge(1.0)))
        << quality;
    EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body,
                           Series("hls_target_duration_seconds", "hall", q)),
                Optional(1.0));
  }
}

// Broken and missing playlists are counted, shown, and cost nothing else.
TEST_F(StreamsTest, GarbageAndMissingPlaylistsAreErrorsNotOutages) {
  const std::string good_dir = dir_ + "/good";
  fs::create_directories(good_dir);
  HlsPackager good(good_dir, {});
  std::ofstream(dir_ + "/garbage.m3u8") << "#EXTM3U\n#EXT-X-TARGETDURATION:soon\n\x01\x02";
  StartExporter("  - camera_id: good\n    hls: " + good.playlist() +
                "\n    hls_interval: 300ms\n  - camera_id: garbage\n    hls: " + dir_ +
                "/garbage.m3u8\n    hls_interval: 300ms\n  - camera_id: missing\n    hls: " + dir_ +
                "/missing.m3u8\n    hls_interval: 300ms\n");
  EXPECT_THAT(
      WaitForSample(port(), Series("hls_playlist_errors_total", "garbage", "kind=\"parse\""),
                    AtLeast(2), 10s),
      Optional(Ge(2.0)));
  EXPECT_THAT(
      WaitForSample(port(), Series("hls_playlist_errors_total", "missing", "kind=\"fetch\""),
                    AtLeast(2), 10s),
      Optional(Ge(2.0)));
  EXPECT_THAT(
      WaitForSample(port(), Series("stream_up", "good", "protocol=\"hls\""), Equals(1), 20s),
      Optional(1.0));
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, Series("stream_up", "garbage", "protocol=\"hls\"")), Optional(0.0));
  EXPECT_THAT(FindSample(body, Series("stream_up", "missing", "protocol=\"hls\"")), Optional(0.0));
  EXPECT_THAT(FindSample(body, "active_streams"), Optional(1.0));
  const std::string page = HttpGet(port(), "/").body;
  EXPECT_THAT(page, HasSubstr("missing.m3u8: No such file or directory"));
  EXPECT_THAT(page, HasSubstr("garbage.m3u8"));
}

// An RTSP restream is proven by DESCRIBE, without PLAY.
TEST_F(StreamsTest, RtspRestreamUpThenDown) {
  auto sim = std::make_unique<CameraSim>(std::vector<std::string>{"--mount", "lobby"});
  ASSERT_TRUE(sim->ready());
  StartExporter("  - camera_id: lobby\n    rtsp: " + sim->url("/lobby") + "\n");
  const std::string up = Series("stream_up", "lobby", "protocol=\"rtsp\"");
  EXPECT_THAT(WaitForSample(port(), up, Equals(1), 10s), Optional(1.0)) << exporter_->Log();
  EXPECT_EQ(RunCommand("grep -c PLAY " + sim->request_log()).output, "0\n");
  sim.reset();
  EXPECT_THAT(WaitForSample(port(), up, Equals(0), 10s), Optional(0.0));
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, "active_streams"), Optional(0.0));
}

}  // namespace
}  // namespace vms::test
