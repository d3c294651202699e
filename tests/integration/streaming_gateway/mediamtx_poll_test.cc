// A real streaming gateway exporter polls a stand-in for MediaMTX's control
// API (tests/fixtures/mediamtx/serve.py: MediaMTX is not in Debian) serving
// the recorded JSON of v1.0 and a recent v1.x, page by page. The values
// expected are the fixture's, field for field.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/subprocess.h"

namespace vms {
namespace {

using namespace std::chrono_literals;

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// serve.py on a free loopback port.
class FakeMediaMtx {
 public:
  FakeMediaMtx() : dir_(test::MakeTempDir()), port_(test::FreePort()) {
    process_ = std::make_unique<test::Subprocess>(
        std::vector<std::string>{"/usr/bin/python3",
                                 test::SourcePath("tests/fixtures/mediamtx/serve.py"),
                                 std::to_string(port_)},
        dir_ + "/serve.log");
    ready_ = test::WaitForPort(port_, 10s);
  }
  ~FakeMediaMtx() {
    process_->Signal(SIGTERM);
    if (process_->Wait(10s) == -1) process_->Signal(SIGKILL);
  }
  bool ready() const { return ready_; }
  unsigned short port() const { return port_; }
  void Scenario(const std::string& json) {
    EXPECT_EQ(test::HttpPost(port_, "/-/scenario", json).status, 200) << json;
  }

 private:
  std::string dir_;
  unsigned short port_;
  std::unique_ptr<test::Subprocess> process_;
  bool ready_ = false;
};

class MediaMtxPollTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(mediamtx_.ready());
    dir_ = test::MakeTempDir();
    Write(dir_ + "/config.yml", "mediamtx:\n  url: http://127.0.0.1:" +
                                    std::to_string(mediamtx_.port()) +
                                    "\n  interval: 3s\n  timeout: 3s\n"
                                    // 3s: serve.py answers nine lists at once slowly on a
                                    // loaded machine. v1.0's three paths come in two pages.
                                    "  items_per_page: 2\n");
  }
  void Start() {
    exporter_ = std::make_unique<test::ExporterProcess>(
        "streaming_gateway_exporter",
        std::vector<std::string>{"--config.file=" + dir_ + "/config.yml"});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }
  std::string Scrape() {
    const auto reply = test::HttpGet(exporter_->port(), "/metrics");
    EXPECT_EQ(reply.status, 200) << reply.error;
    return reply.body;
  }
  // Waits until two more polls than now have succeeded, so that one started
  // after the scenario changed; returns the scrape then.
  std::string AfterTwoPolls() {
    const auto now = test::FindSample(Scrape(), "vms_exporter_mediamtx_polls_total").value_or(0);
    const auto seen = test::WaitForSample(
        exporter_->port(), "vms_exporter_mediamtx_polls_total",
        [now](std::optional<double> v) { return v && *v >= now + 2; }, 30s);
    EXPECT_GE(seen.value_or(0), now + 2) << exporter_->Log();
    return Scrape();
  }
  // Waits for vms_exporter_mediamtx_up to be `value`.
  void WaitUp(double value) {
    EXPECT_EQ(test::WaitForSample(
                  exporter_->port(), "vms_exporter_mediamtx_up",
                  [value](std::optional<double> v) { return v == value; }, 30s),
              value)
        << exporter_->Log();
  }
  void Lint(const std::string& text) {
    const std::string path = dir_ + "/metrics.prom";
    Write(path, text);
    const auto lint = test::RunCommand("promtool check metrics < " + path);
    EXPECT_EQ(lint.exit_code, 0) << lint.output;
    EXPECT_EQ(lint.output, "");
  }
  static std::string Series(const std::string& metric, const std::string& camera,
                            const std::string& protocol) {
    return metric + "{camera_id=\"" + camera + "\",protocol=\"" + protocol +
           "\",source=\"mediamtx\"}";
  }
  static std::string Webrtc(const std::string& metric, const std::string& camera) {
    return metric + "{camera_id=\"" + camera + "\",source=\"mediamtx\"}";
  }
  static std::string Failures(const std::string& camera) {
    return "webrtc_connection_failures_total{camera_id=\"" + camera +
           "\",stage=\"setup\",source=\"mediamtx\"}";
  }

  FakeMediaMtx mediamtx_;
  std::string dir_;
  std::unique_ptr<test::ExporterProcess> exporter_;
};

// v1.0 (paths_list_page*.json, rtspsessions, webrtcsessions, rtmpconns,
// hlsmuxers): cam1 is ready with an RTSP and a WebRTC reader and an HLS
// muxer; cam3 is not ready; there is no /v3/info.
TEST_F(MediaMtxPollTest, VersionOneCountsTheFixtureAndStaysMonotonicAcrossChurn) {
  mediamtx_.Scenario(R"({"version":"v1.0","mode":"ok"})");
  Start();
  WaitUp(1);
  std::string text = AfterTwoPolls();
  EXPECT_EQ(test::FindSample(text, "vms_exporter_mediamtx_up"), 1);
  EXPECT_EQ(test::FindSample(text, Series("stream_up", "cam1", "rtsp")), 1);
  EXPECT_EQ(test::FindSample(text, Series("stream_up", "cam3", "rtsp")), 0);
  EXPECT_EQ(test::FindSample(text, Series("stream_viewers", "cam1", "rtsp")), 1);
  EXPECT_EQ(test::FindSample(text, Series("stream_viewers", "cam1", "webrtc")), 1);
  EXPECT_EQ(test::FindSample(text, Series("stream_viewers", "cam1", "srt")), 0);
  // v1.0 lists no HLS sessions: HLS viewers are not known, so not written.
  EXPECT_EQ(test::FindSample(text, Series("stream_viewers", "cam1", "hls")), std::nullopt);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsp")), 5000000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "webrtc")), 2500000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "hls")), 40000000);
  EXPECT_EQ(test::FindSample(text, Webrtc("webrtc_connection_attempts_total", "cam1")), 2);
  EXPECT_EQ(test::FindSample(text, Webrtc("webrtc_connection_successes_total", "cam1")), 1);
  EXPECT_EQ(test::FindSample(text, Failures("cam1")), 0);
  EXPECT_EQ(test::FindSample(text, "vms_exporter_mediamtx_restarts_total"), 0);
  Lint(text);

  // The RTSP viewer leaves and a new one has sent 1000 bytes; the WebRTC
  // session that never got its PeerConnection is gone: a failure.
  mediamtx_.Scenario(R"({"version":"v1.0","mode":"ok","lists":{
    "rtspsessions_list":[{"id":"7c4c2d4f-3b9e-4d9f-8c8b-1e2d3f4a5b6c","created":"2023-08-20T10:06:00Z",
      "remoteAddr":"192.0.2.13:50003","state":"read","path":"cam1","transport":"TCP",
      "bytesReceived":10,"bytesSent":1000}],
    "webrtcsessions_list":[{"id":"9f0e1d2c-3b4a-4958-8776-655443322110","created":"2023-08-20T10:03:00Z",
      "remoteAddr":"192.0.2.11:50001","peerConnectionEstablished":true,"localCandidate":"",
      "remoteCandidate":"","state":"read","path":"cam1","bytesReceived":3500,"bytesSent":2600000}]}})");
  text = AfterTwoPolls();
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsp")), 5001000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "webrtc")), 2600000);
  EXPECT_EQ(test::FindSample(text, Webrtc("webrtc_connection_attempts_total", "cam1")), 2);
  EXPECT_EQ(test::FindSample(text, Webrtc("webrtc_connection_successes_total", "cam1")), 1);
  EXPECT_EQ(test::FindSample(text, Failures("cam1")), 1);

  // Every session gone: what they sent stays counted.
  mediamtx_.Scenario(R"({"version":"v1.0","mode":"ok","lists":{
    "rtspsessions_list":[],"webrtcsessions_list":[]}})");
  text = AfterTwoPolls();
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsp")), 5001000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "webrtc")), 2600000);
  EXPECT_EQ(test::FindSample(text, Failures("cam1")), 1);
  Lint(text);
}

// v1.x-recent: cam1 is available with one reader of each kind (rtsp, rtsps,
// webrtc, HLS session, srt) and an HLS muxer; cam4 is not; /v3/info says v1.12.0.
TEST_F(MediaMtxPollTest, RecentVersionCountsEveryReaderTypeOfTheFixture) {
  mediamtx_.Scenario(R"({"version":"v1.x-recent","mode":"ok"})");
  Start();
  WaitUp(1);
  const std::string text = AfterTwoPolls();
  EXPECT_EQ(test::FindSample(text, "vms_exporter_mediamtx_info{version=\"v1.12.0\"}"), 1);
  EXPECT_EQ(test::FindSample(text, Series("stream_up", "cam1", "rtsp")), 1);
  EXPECT_EQ(test::FindSample(text, Series("stream_up", "cam4", "rtsp")), 0);
  for (const char* protocol : {"rtsp", "rtsps", "webrtc", "srt", "hls"}) {
    EXPECT_EQ(test::FindSample(text, Series("stream_viewers", "cam1", protocol)), 1) << protocol;
  }
  EXPECT_EQ(test::FindSample(text, Series("stream_viewers", "cam1", "rtmp")), 0);
  EXPECT_EQ(test::FindSample(text, Series("stream_viewers", "cam4", "hls")), 0);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsp")), 8000000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsps")), 1000000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "webrtc")), 3000000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "srt")), 1300000);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "hls")), 60000000);
  EXPECT_EQ(test::FindSample(text, Webrtc("webrtc_connection_attempts_total", "cam1")), 1);
  EXPECT_EQ(test::FindSample(text, Webrtc("webrtc_connection_successes_total", "cam1")), 1);
  EXPECT_EQ(test::FindSample(text, Failures("cam1")), 0);
  EXPECT_EQ(test::FindSample(text, "vms_exporter_mediamtx_restarts_total"), 0);
  Lint(text);
}

// A failing MediaMTX sets vms_exporter_mediamtx_up to 0 and the landing
// page says why; the counters stay; a hanging one does not hold up /metrics.
TEST_F(MediaMtxPollTest, FailuresAreDownWithTheReasonAndNeverBlockTheScrape) {
  mediamtx_.Scenario(R"({"version":"v1.0","mode":"ok"})");
  Start();
  WaitUp(1);
  AfterTwoPolls();

  const auto landing = [&] { return test::HttpGet(exporter_->port(), "/").body; };
  mediamtx_.Scenario(R"({"version":"v1.0","mode":"500"})");
  WaitUp(0);
  EXPECT_NE(landing().find("HTTP 500"), std::string::npos) << landing();
  std::string text = Scrape();
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsp")), 5000000);
  Lint(text);

  mediamtx_.Scenario(R"({"version":"v1.0","mode":"ok"})");
  WaitUp(1);
  mediamtx_.Scenario(R"({"version":"v1.0","mode":"garbage"})");
  WaitUp(0);
  EXPECT_NE(landing().find("/v3/paths/list"), std::string::npos) << landing();

  mediamtx_.Scenario(R"({"version":"v1.0","mode":"ok"})");
  WaitUp(1);
  mediamtx_.Scenario(R"({"version":"v1.0","mode":"hang"})");
  WaitUp(0);
  EXPECT_NE(landing().find("timed out"), std::string::npos) << landing();
  // MediaMTX still says nothing: the scrape answers from the last poll.
  text = Scrape();
  EXPECT_EQ(test::FindSample(text, "vms_exporter_mediamtx_up"), 0);
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsp")), 5000000);
  Lint(text);

  mediamtx_.Scenario(R"({"version":"v1.0","mode":"ok"})");
  WaitUp(1);
  text = AfterTwoPolls();
  EXPECT_EQ(test::FindSample(text, Series("stream_bytes_sent_total", "cam1", "rtsp")), 5000000);
}

}  // namespace
}  // namespace vms
