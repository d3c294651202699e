// The streaming gateway exporter reading a real nginx's access log (the
// shipped `vms` log_format) while real clients fetch HLS that a real ffmpeg
// packages: exact request counts, bytes, viewers, WHEP offers, the camera_id
// cap, and no line lost or counted twice across a rename + USR1, a
// copytruncate and an exporter restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

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
using ::testing::HasSubstr;
using ::testing::Optional;

auto Equals(double want) {
  return [want](std::optional<double> v) { return v && *v == want; };
}

std::string S(const std::string& name, const std::string& labels) {
  return name + "{" + labels + "}";
}

class TrafficTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    fs::create_directories(dir_ + "/hls/lobby");
    fs::create_directories(dir_ + "/state");
  }

  void StartNginx() {
    nginx_ =
        std::make_unique<NginxProcess>("include " + SourcePath("deploy/nginx/vms-log-format.conf") +
                                           ";\n  access_log " + log() + " vms;",
                                       "location /hls/ { alias " + dir_ +
                                           "/hls/; }\n"
                                           "location ~ ^/lobby/whep$ { return 201; }\n"
                                           "location ~ ^/[^/]+/whep$ { return 400; }\n");
    ASSERT_TRUE(nginx_->ready()) << nginx_->ErrorLog();
  }
  std::string log() const { return dir_ + "/access.log"; }

  void StartExporter(const std::string& extra = "") {
    const std::string config = dir_ + "/gateway.yml";
    std::ofstream(config) << "streams:\n  - camera_id: lobby\n    hls: " << dir_
                          << "/hls/lobby/index.m3u8\n    hls_interval: 300ms\n"
                          << "access_logs:\n  - path: " << log()
                          << "\n    format: vms\n    name: gateway\n"
                          << "    camera_id: '^/(?:hls/)?([^/]+)/'\n    start_at: beginning\n"
                          << "    poll_interval: 100ms\n    state_dir: " << dir_ << "/state\n"
                          << extra;
    exporter_ = std::make_unique<ExporterProcess>(
        "streaming_gateway_exporter", std::vector<std::string>{"--config.file=" + config});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }
  unsigned short port() const { return exporter_->port(); }

  HttpReply Get(const std::string& path, const std::map<std::string, std::string>& headers = {}) {
    return HttpGet(nginx_->port(), path, headers);
  }

  std::string dir_ = MakeTempDir();
  std::unique_ptr<NginxProcess> nginx_;
  std::unique_ptr<ExporterProcess> exporter_;
};

TEST_F(TrafficTest, RequestsBytesViewersAndWhepAreCountedExactly) {
  HlsPackager packager(dir_ + "/hls/lobby", {.list_size = 0, .delete_segments = false});
  StartNginx();
  StartExporter("limits:\n  camera_ids: 1\n");
  ASSERT_THAT(
      WaitForSample(port(), S("stream_up", "camera_id=\"lobby\",protocol=\"hls\""), Equals(1), 20s),
      Optional(1.0))
      << exporter_->Log();

  // Four viewers: three by address and user agent, one by its session
  // cookie whatever user agent it sends.
  int playlists = 0, segments = 0;
  for (const char* ua : {"viewer-a", "viewer-b", "viewer-c"}) {
    ASSERT_EQ(Get("/hls/lobby/index.m3u8", {{"User-Agent", ua}}).status, 200);
    ASSERT_EQ(Get("/hls/lobby/index0.ts", {{"User-Agent", ua}}).status, 200);
    ++playlists;
    ++segments;
  }
  for (const char* ua : {"tv-1", "tv-2"}) {
    ASSERT_EQ(
        Get("/hls/lobby/index.m3u8", {{"User-Agent", ua}, {"Cookie", "session=abc123"}}).status,
        200);
    ++playlists;
  }
  EXPECT_EQ(Get("/hls/lobby/nope.ts").status, 404);
  // WHEP offers: two accepted for lobby, one refused for "yard".
  EXPECT_EQ(HttpRequestOnce(nginx_->port(), "POST", "/lobby/whep").status, 201);
  EXPECT_EQ(HttpRequestOnce(nginx_->port(), "POST", "/lobby/whep").status, 201);
  EXPECT_EQ(HttpRequestOnce(nginx_->port(), "POST", "/yard/whep").status, 400);
  // A second camera past limits.camera_ids 1 ("yard" took the one place).
  EXPECT_EQ(Get("/hls/other/index.m3u8").status, 404);

  const std::string p = S("hls_playlist_requests_total", "camera_id=\"lobby\",code=\"200\"");
  ASSERT_THAT(WaitForSample(port(), p, Equals(playlists), 10s),
              Optional(static_cast<double>(playlists)))
      << exporter_->Log();
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, S("hls_segment_requests_total", "camera_id=\"lobby\",code=\"200\"")),
              Optional(static_cast<double>(segments)));
  EXPECT_THAT(FindSample(body, S("hls_segment_requests_total", "camera_id=\"lobby\",code=\"404\"")),
              Optional(1.0));
  EXPECT_THAT(FindSample(body, S("stream_viewers",
                                 "camera_id=\"lobby\",protocol=\"hls\",source=\"access_log\"")),
              Optional(4.0));
  EXPECT_THAT(FindSample(body, S("webrtc_connection_attempts_total",
                                 "camera_id=\"lobby\",source=\"access_log\"")),
              Optional(2.0));
  EXPECT_THAT(FindSample(body, S("webrtc_connection_failures_total",
                                 "camera_id=\"lobby\",stage=\"signaling\",source=\"access_log\"")),
              Optional(0.0));
  EXPECT_THAT(FindSample(body, S("webrtc_connection_failures_total",
                                 "camera_id=\"yard\",stage=\"signaling\",source=\"access_log\"")),
              Optional(1.0));
  EXPECT_THAT(FindSample(body, S("vms_exporter_series_dropped_total",
                                 "reason=\"camera_id_cap\",source=\"access_log\"")),
              Optional(1.0));
  EXPECT_EQ(body.find("camera_id=\"other\""), std::string::npos);
  EXPECT_THAT(FindSample(body, S("vms_exporter_log_lines_total", "file=\"gateway\"")),
              Optional(static_cast<double>(playlists + segments + 1 + 3 + 1)));
  // Nothing from the clients ends up in the exposition.
  for (const char* secret : {"abc123", "viewer-a", "127.0.0.1"}) {
    EXPECT_EQ(body.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(RunCommand("curl -s 127.0.0.1:" + std::to_string(port()) +
                       "/metrics | promtool check metrics")
                .output,
            "");

  // Viewers are the clients of the last 3 target durations (1 s segments).
  EXPECT_THAT(
      WaitForSample(
          port(), S("stream_viewers", "camera_id=\"lobby\",protocol=\"hls\",source=\"access_log\""),
          Equals(0), 10s),
      Optional(0.0));
}

// bytes: what nginx sent, headers included, as curl received it.
TEST_F(TrafficTest, BytesSentAreWhatTheClientsReceived) {
  HlsPackager packager(dir_ + "/hls/lobby", {.list_size = 0, .delete_segments = false});
  StartNginx();
  StartExporter();
  ASSERT_THAT(WaitForSample(
                  port(), S("hls_segments_total", "camera_id=\"lobby\",quality=\"default\""),
                  [](std::optional<double> v) { return v && *v >= 2; }, 20s),
              ::testing::Optional(::testing::Ge(2.0)));
  double received = 0;
  for (const char* path : {"/hls/lobby/index.m3u8", "/hls/lobby/index0.ts", "/hls/lobby/index1.ts",
                           "/hls/lobby/missing.ts"}) {
    const auto r =
        RunCommand("curl -s -o /dev/null -w '%{size_header} %{size_download}' 127.0.0.1:" +
                   std::to_string(nginx_->port()) + path);
    double headers = 0, body = 0;
    ASSERT_EQ(std::sscanf(r.output.c_str(), "%lf %lf", &headers, &body), 2) << r.output;
    received += headers + body;
  }
  const std::string bytes =
      S("stream_bytes_sent_total", "camera_id=\"lobby\",protocol=\"hls\",source=\"access_log\"");
  EXPECT_THAT(WaitForSample(port(), bytes, Equals(received), 10s), Optional(received));
}

// Unique requests during a rename + USR1, an exporter restart and a
// copytruncate: no line is lost or counted twice. The first exporter reads
// 300 and stops (its checkpoint written); 60 more are logged while none
// runs; the second resumes at the checkpoint and must count exactly the
// other 300.
TEST_F(TrafficTest, NoRequestLostOrCountedTwiceAcrossRotationRestartAndCopytruncate) {
  std::ofstream(dir_ + "/hls/lobby/index.m3u8") << "#EXTM3U\n";
  StartNginx();
  StartExporter();
  std::atomic<int> sent{0};
  std::atomic<int> allowed{0};  // the client sends up to this many
  std::atomic<bool> held{false};  // the client is waiting, no request in flight
  std::thread client([&] {
    for (int i = 0; i < 600; ++i) {
      while (sent >= allowed) {
        held = true;
        std::this_thread::sleep_for(1ms);
      }
      held = false;
      if (Get("/hls/lobby/index.m3u8?id=" + std::to_string(i)).status == 200) ++sent;
    }
  });
  auto send_until = [&](int n) {
    allowed = n;
    while (sent < n) std::this_thread::sleep_for(2ms);
  };
  const std::string count = S("hls_playlist_requests_total", "camera_id=\"lobby\",code=\"200\"");

  allowed = 300;
  while (sent < 150) std::this_thread::sleep_for(2ms);
  fs::rename(log(), log() + ".1");  // logrotate's default, during traffic
  nginx_->ReopenLogs();
  send_until(300);
  ASSERT_THAT(WaitForSample(port(), count, Equals(300), 20s), Optional(300.0)) << exporter_->Log();
  // A clean stop (SIGTERM, as systemd stops it) writes the checkpoint. (A
  // SIGKILL would read up to checkpoint_interval of lines again.)
  exporter_->process().Signal(SIGTERM);
  ASSERT_NE(exporter_->process().Wait(10s), -1);
  exporter_.reset();

  send_until(360);  // logged while no exporter runs
  StartExporter();
  allowed = 600;
  while (sent < 450) std::this_thread::sleep_for(2ms);
  // copytruncate as logrotate does it (older copies shifted first), with
  // the client held for the instant between copy and truncate: what nginx
  // writes then is lost by logrotate itself, not by the reader. nginx logs
  // a request after its response went out, so the hold lasts until the
  // exporter has counted every request sent (all of them are in the file).
  allowed = 0;
  held = false;
  while (!held) std::this_thread::sleep_for(1ms);
  const double before_truncate = sent.load() - 300;
  EXPECT_THAT(WaitForSample(port(), count, Equals(before_truncate), 20s),
              Optional(before_truncate))
      << exporter_->Log();
  fs::rename(log() + ".1", log() + ".2");
  fs::copy_file(log(), log() + ".1");
  fs::resize_file(log(), 0);
  allowed = 600;
  client.join();
  ASSERT_EQ(sent, 600);
  EXPECT_THAT(WaitForSample(port(), count, Equals(300), 20s), Optional(300.0)) << exporter_->Log();
  std::this_thread::sleep_for(500ms);  // nothing more arrives late
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, count), Optional(300.0));
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, S("vms_exporter_log_rotations_total",
                                                             "file=\"gateway\",kind=\"truncate\"")),
              Optional(1.0));
}

}  // namespace
}  // namespace vms::test
