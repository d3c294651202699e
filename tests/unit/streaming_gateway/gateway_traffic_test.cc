#include "streaming_gateway/gateway_traffic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vms/metrics/exposition_text.h"

namespace vms::streaming_gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

AccessRecord Request(const std::string& method, const std::string& path, int status, double time,
                     const std::string& addr = "10.0.0.1", const std::string& ua = "player") {
  AccessRecord r;
  r.method = method;
  r.path = path;
  r.status = status;
  r.time = time;
  r.remote_addr = addr;
  r.user_agent = ua;
  r.bytes_sent = 100;
  r.body_bytes_sent = 80;
  return r;
}

class GatewayTrafficTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cap_->Configure({"lobby"}, limits_.camera_ids);
    traffic_.Configure({"lobby"}, limits_);
    traffic_.SetAccessLogs(true);
  }
  std::string Text(double now, GatewayTraffic::TargetDuration target = {}) {
    std::vector<prometheus::MetricFamily> families;
    MetricWriter writer(&families);
    traffic_.Write(writer, now, target);
    std::string text;
    AppendFamiliesText(std::move(families), text);
    return text;
  }
  void Add(std::vector<AccessRecord> records) { traffic_.AddRecords(camera_id_, records); }

  TrafficLimits limits_{.camera_ids = 2, .clients = 100, .viewer_window = std::chrono::seconds(30)};
  std::shared_ptr<CameraIdCap> cap_ = std::make_shared<CameraIdCap>(2);
  GatewayTraffic traffic_{cap_};
  const std::regex camera_id_{"^/(?:hls/)?([^/]+)/"};
};

TEST(ClassifyRequestTest, ByMethodAndPath) {
  EXPECT_EQ(ClassifyRequest("GET", "/hls/a/index.m3u8"), RequestKind::kPlaylist);
  EXPECT_EQ(ClassifyRequest("HEAD", "/hls/a/INDEX.M3U8"), RequestKind::kPlaylist);
  EXPECT_EQ(ClassifyRequest("GET", "/hls/a/seg_001.ts"), RequestKind::kSegment);
  EXPECT_EQ(ClassifyRequest("GET", "/hls/a/part3.m4s"), RequestKind::kSegment);
  EXPECT_EQ(ClassifyRequest("GET", "/hls/a/init.mp4"), RequestKind::kSegment);
  EXPECT_EQ(ClassifyRequest("POST", "/a/whep"), RequestKind::kWhep);
  EXPECT_EQ(ClassifyRequest("GET", "/a/whep"), RequestKind::kOther);
  EXPECT_EQ(ClassifyRequest("PATCH", "/a/whep/session-1"), RequestKind::kOther);
  EXPECT_EQ(ClassifyRequest("GET", "/api/cameras"), RequestKind::kOther);
}

TEST_F(GatewayTrafficTest, CountsRequestsByCameraAndStatus) {
  Add({Request("GET", "/hls/lobby/index.m3u8", 200, 100),
       Request("GET", "/hls/lobby/index.m3u8", 200, 101),
       Request("GET", "/hls/lobby/s1.ts", 200, 101), Request("GET", "/hls/lobby/s9.ts", 404, 102),
       Request("GET", "/api/cameras", 200, 102), Request("GET", "/nothing", 200, 102)});
  const std::string t = Text(110);
  EXPECT_THAT(t, HasSubstr("hls_playlist_requests_total{camera_id=\"lobby\",code=\"200\"} 2\n"));
  EXPECT_THAT(t, HasSubstr("hls_segment_requests_total{camera_id=\"lobby\",code=\"200\"} 1\n"));
  EXPECT_THAT(t, HasSubstr("hls_segment_requests_total{camera_id=\"lobby\",code=\"404\"} 1\n"));
  EXPECT_THAT(t, HasSubstr("stream_bytes_sent_total{camera_id=\"lobby\",protocol=\"hls\",source="
                           "\"access_log\"} 400\n"));
  EXPECT_THAT(t, Not(HasSubstr("camera_id=\"api\"")));
}

TEST_F(GatewayTrafficTest, ViewersAreDistinctClientsWithinTheWindow) {
  AccessRecord session_a = Request("GET", "/hls/lobby/index.m3u8", 200, 100, "10.0.0.9", "tv-1");
  session_a.session_id = "s1";
  AccessRecord session_b = session_a;  // the same session from another agent
  session_b.user_agent = "tv-2";
  Add({Request("GET", "/hls/lobby/index.m3u8", 200, 100, "10.0.0.1", "a"),
       Request("GET", "/hls/lobby/s1.ts", 200, 101, "10.0.0.1", "a"),
       Request("GET", "/hls/lobby/s1.ts", 200, 101, "10.0.0.1", "b"),
       Request("GET", "/hls/lobby/s1.ts", 200, 60, "10.0.0.2", "a"),   // too long ago
       Request("GET", "/hls/lobby/s2.ts", 404, 101, "10.0.0.3", "a"),  // not viewing
       session_a, session_b});
  const std::string v =
      "stream_viewers{camera_id=\"lobby\",protocol=\"hls\",source=\"access_log\"} ";
  EXPECT_THAT(Text(105), HasSubstr(v + "3\n"));  // a, b and the session; 30 s window
  auto target = [](const std::string&) -> std::optional<double> { return 2.0; };
  EXPECT_THAT(Text(105, target), HasSubstr(v + "3\n"));  // 3 x 2 s covers 99..105
  EXPECT_THAT(Text(108, target), HasSubstr(v + "0\n"));
  EXPECT_EQ(traffic_.HlsViewers("lobby", 105, {}), 3u);
}

TEST_F(GatewayTrafficTest, LearnedCameraIdsAreCappedAndInvalidOnesRefused) {
  Add({Request("GET", "/hls/a/index.m3u8", 200, 1), Request("GET", "/hls/b/index.m3u8", 200, 1),
       Request("GET", "/hls/c/index.m3u8", 200, 1), Request("GET", "/hls/c/index.m3u8", 200, 1),
       Request("GET", "/hls/b%20x/index.m3u8", 200, 1),
       Request("GET", "/hls/lobby/index.m3u8", 200, 1)});
  const std::string t = Text(2);
  EXPECT_THAT(t, HasSubstr("camera_id=\"a\""));
  EXPECT_THAT(t, HasSubstr("camera_id=\"b\""));
  EXPECT_THAT(t, Not(HasSubstr("camera_id=\"c\"")));
  EXPECT_THAT(t, HasSubstr("hls_playlist_requests_total{camera_id=\"lobby\",code=\"200\"} 1"));
  // Each refused id once ("c" asked twice), and the unusable one.
  EXPECT_THAT(
      t,
      HasSubstr(
          "vms_exporter_series_dropped_total{reason=\"camera_id_cap\",source=\"access_log\"} 1\n"));
  EXPECT_THAT(t, HasSubstr("vms_exporter_series_dropped_total{reason=\"invalid_camera_id\",source="
                           "\"access_log\"} 1\n"));
}

// The gateway exporter polls playlists over HTTP too; those requests are
// its own, not a viewer's.
TEST_F(GatewayTrafficTest, TheExportersOwnPollsAreNotTraffic) {
  Add({Request("GET", "/hls/lobby/index.m3u8", 200, 100, "127.0.0.1", "vms-exporters"),
       Request("HEAD", "/hls/lobby/s1.ts", 200, 100, "127.0.0.1", "vms-exporters")});
  const std::string t = Text(101);
  EXPECT_THAT(t, Not(HasSubstr("hls_playlist_requests_total{")));
  EXPECT_THAT(t, HasSubstr("stream_viewers{camera_id=\"lobby\",protocol=\"hls\",source=\"access_log\"} 0\n"));
}

TEST_F(GatewayTrafficTest, TheClientCapBoundsMemory) {
  traffic_.Configure({"lobby"},
                     {.camera_ids = 2, .clients = 2, .viewer_window = std::chrono::seconds(30)});
  Add({Request("GET", "/hls/lobby/s.ts", 200, 100, "1.1.1.1"),
       Request("GET", "/hls/lobby/s.ts", 200, 100, "2.2.2.2"),
       Request("GET", "/hls/lobby/s.ts", 200, 100, "3.3.3.3")});
  EXPECT_EQ(traffic_.HlsViewers("lobby", 101, {}), 2u);
  EXPECT_THAT(
      Text(101),
      HasSubstr(
          "vms_exporter_series_dropped_total{reason=\"clients_cap\",source=\"access_log\"} 1\n"));
}

TEST_F(GatewayTrafficTest, WhepOffersAreAttemptsAndTheirRefusalsFailures) {
  Add({Request("POST", "/lobby/whep", 201, 1), Request("POST", "/lobby/whep", 400, 1)});
  const std::string t = Text(2);
  EXPECT_THAT(
      t,
      HasSubstr("webrtc_connection_attempts_total{camera_id=\"lobby\",source=\"access_log\"} 2\n"));
  EXPECT_THAT(t, HasSubstr("webrtc_connection_failures_total{camera_id=\"lobby\",stage="
                           "\"signaling\",source=\"access_log\"} 1\n"));
}

TEST_F(GatewayTrafficTest, AReloadKeepsCountersOfCamerasThatStayOrWereSeen) {
  Add({Request("GET", "/hls/lobby/index.m3u8", 200, 1),
       Request("GET", "/hls/a/index.m3u8", 200, 1)});
  traffic_.Configure({"lobby", "yard"}, limits_);
  const std::string t = Text(2);
  EXPECT_THAT(t, HasSubstr("hls_playlist_requests_total{camera_id=\"lobby\",code=\"200\"} 1"));
  EXPECT_THAT(t, HasSubstr("hls_playlist_requests_total{camera_id=\"a\",code=\"200\"} 1"));
  EXPECT_THAT(
      t, HasSubstr("stream_viewers{camera_id=\"yard\",protocol=\"hls\",source=\"access_log\"} 0"));
}

}  // namespace
}  // namespace vms::streaming_gateway
