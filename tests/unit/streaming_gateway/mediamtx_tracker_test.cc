// MediaMTX API parsing on both versions' recorded shapes
// (tests/fixtures/mediamtx/README.md) and the running totals over scripted
// poll sequences: sessions appearing, growing, vanishing, MediaMTX restarting.
#include "streaming_gateway/mediamtx_tracker.h"

#include <gtest/gtest.h>

#include <fstream>

#include "streaming_gateway/mediamtx_collector.h"
#include "support/subprocess.h"
#include "vms/base/file.h"
#include "vms/metrics/collector_set.h"

namespace vms::streaming_gateway {
namespace {

std::string Fixture(const std::string& name) {
  auto text = ReadFile(test::SourcePath("tests/fixtures/mediamtx/" + name));
  EXPECT_TRUE(text.ok()) << name;
  return text.ok() ? *text : "";
}

std::size_t P(std::string_view protocol) {
  for (std::size_t i = 0; i < kMediaMtxProtocols.size(); ++i) {
    if (kMediaMtxProtocols[i] == protocol) return i;
  }
  return 0;
}

MediaMtxPoll RecordedPoll(const std::string& version) {
  MediaMtxPoll poll;
  if (version == "v1.x-recent") poll.info = *ParseMediaMtxInfo(Fixture(version + "/info.json"));
  const auto paths = [&](const std::string& f) {
    auto page = ParseMediaMtxPaths(Fixture(version + "/" + f));
    EXPECT_TRUE(page.ok()) << page.error();
    for (auto& p : page->items) poll.paths.push_back(p);
  };
  if (version == "v1.0") {
    paths("paths_list_page0.json");
    paths("paths_list_page1.json");
  } else {
    paths("paths_list.json");
  }
  for (const auto& [protocol, file] :
       std::map<std::string, std::string>{{"rtsp", "rtspsessions_list.json"},
                                          {"rtsps", "rtspssessions_list.json"},
                                          {"webrtc", "webrtcsessions_list.json"},
                                          {"rtmp", "rtmpconns_list.json"},
                                          {"srt", "srtconns_list.json"}}) {
    auto text = ReadFile(test::SourcePath("tests/fixtures/mediamtx/" + version + "/" + file));
    if (!text) continue;  // this version's fixtures have no such list
    auto page = ParseMediaMtxSessions(*text);
    EXPECT_TRUE(page.ok()) << page.error();
    poll.sessions[protocol] = page->items;
  }
  poll.hls_muxers = ParseMediaMtxMuxers(Fixture(version + "/hlsmuxers_list.json"))->items;
  return poll;
}

TEST(MediaMtxApiTest, ReadsVersionOnePathsWithReadyAndPaging) {
  auto page = ParseMediaMtxPaths(Fixture("v1.0/paths_list_page0.json"));
  ASSERT_TRUE(page.ok()) << page.error();
  EXPECT_EQ(page->item_count, 3u);
  EXPECT_EQ(page->page_count, 2u);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].name, "cam1");
  EXPECT_TRUE(page->items[0].available);
  ASSERT_EQ(page->items[0].readers.size(), 3u);
  EXPECT_EQ(page->items[0].readers[2].type, "hlsMuxer");
  EXPECT_EQ(page->items[1].name, "live/cam2");
  auto last = ParseMediaMtxPaths(Fixture("v1.0/paths_list_page1.json"));
  EXPECT_FALSE(last->items[0].available);
}

TEST(MediaMtxApiTest, ReadsRecentFieldNamesPreferringTheNewOnes) {
  auto info = ParseMediaMtxInfo(Fixture("v1.x-recent/info.json"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->version, "v1.12.0");
  auto sessions = ParseMediaMtxSessions(
      R"({"itemCount":1,"pageCount":1,"items":[{"id":"a","path":"p","state":"read",
          "outboundBytes":10,"bytesSent":7}]})");
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->items[0].bytes_sent, 10u);
  EXPECT_FALSE(sessions->items[0].peer_connection_established.has_value());
  auto webrtc = ParseMediaMtxSessions(Fixture("v1.x-recent/webrtcsessions_list.json"));
  EXPECT_EQ(webrtc->items[0].bytes_sent, 3000000u);
  EXPECT_EQ(webrtc->items[0].peer_connection_established, true);
  auto muxers = ParseMediaMtxMuxers(Fixture("v1.0/hlsmuxers_list.json"));
  EXPECT_EQ(muxers->items[0].bytes_sent, 40000000u);
}

TEST(MediaMtxApiTest, HostileBodiesAreErrors) {
  EXPECT_FALSE(ParseMediaMtxPaths("").ok());
  EXPECT_FALSE(ParseMediaMtxPaths("[]").ok());
  EXPECT_FALSE(ParseMediaMtxPaths(R"({"items":5})").ok());
  EXPECT_FALSE(ParseMediaMtxSessions(std::string(50000, '[')).ok());
  EXPECT_FALSE(ParseMediaMtxInfo("\"v1\"").ok());
  auto odd = ParseMediaMtxPaths(
      R"({"items":[1,{"name":""},{"name":"a","readers":3},{"name":"b","readers":[7]}]})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->items.size(), 2u);
}

TEST(MediaMtxTrackerTest, VersionOneCountsViewersBytesAndWebrtc) {
  MediaMtxTracker tracker("", std::make_shared<CameraIdCap>(100));
  tracker.Apply(RecordedPoll("v1.0"));
  const MediaMtxTotals t = tracker.Totals();
  ASSERT_EQ(t.cameras.size(), 3u);
  const MediaMtxCameraTotals& cam1 = t.cameras.at("cam1");
  EXPECT_TRUE(cam1.up);
  EXPECT_EQ(cam1.viewers[P("rtsp")], 1u);
  EXPECT_EQ(cam1.viewers[P("webrtc")], 1u);
  EXPECT_EQ(cam1.viewers[P("hls")], 0u);  // the muxer is not a viewer
  EXPECT_EQ(cam1.bytes_sent[P("rtsp")], 5000000u);
  EXPECT_EQ(cam1.bytes_sent[P("webrtc")], 2500000u);
  EXPECT_EQ(cam1.bytes_sent[P("hls")], 40000000u);
  EXPECT_EQ(cam1.webrtc_attempts, 2u);
  EXPECT_EQ(cam1.webrtc_successes, 1u);
  EXPECT_EQ(cam1.webrtc_failures, 0u);
  EXPECT_FALSE(t.cameras.at("cam3").up);
  // A publisher's bytes sent are not served to viewers.
  EXPECT_EQ(t.cameras.at("live_cam2").bytes_sent[P("rtmp")], 0u);
  EXPECT_FALSE(t.hls_viewers_known);
}

TEST(MediaMtxTrackerTest, RecentVersionCountsEveryReaderType) {
  MediaMtxTracker tracker("", std::make_shared<CameraIdCap>(100));
  tracker.Apply(RecordedPoll("v1.x-recent"));
  const MediaMtxTotals t = tracker.Totals();
  const MediaMtxCameraTotals& cam1 = t.cameras.at("cam1");
  for (std::string_view p : {"rtsp", "rtsps", "webrtc", "srt", "hls"}) {
    EXPECT_EQ(cam1.viewers[P(p)], 1u) << p;
  }
  EXPECT_TRUE(t.hls_viewers_known);
  EXPECT_EQ(cam1.bytes_sent[P("rtsp")], 8000000u);
  EXPECT_EQ(cam1.bytes_sent[P("rtsps")], 1000000u);
  EXPECT_EQ(cam1.bytes_sent[P("srt")], 1300000u);
  EXPECT_EQ(cam1.bytes_sent[P("hls")], 60000000u);
  EXPECT_FALSE(t.cameras.at("cam4").up);
  EXPECT_EQ(t.info->version, "v1.12.0");
}

MediaMtxSession Session(std::string id, std::uint64_t bytes, std::optional<bool> established = {}) {
  return {std::move(id), "cam1", "read", bytes, established};
}

TEST(MediaMtxTrackerTest, TotalsStayMonotonicAcrossSessionChurnAndRestarts) {
  MediaMtxTracker tracker("", std::make_shared<CameraIdCap>(100));
  const auto poll = [&](std::vector<MediaMtxSession> rtsp, std::vector<MediaMtxSession> webrtc,
                        std::vector<MediaMtxMuxer> muxers, std::string started = "t0") {
    MediaMtxPoll p;
    p.info = MediaMtxInfo{"v1.12.0", started};
    p.paths = {{"cam1", true, {}}};
    p.sessions["rtsp"] = std::move(rtsp);
    p.sessions["webrtc"] = std::move(webrtc);
    p.hls_muxers = std::move(muxers);
    tracker.Apply(p);
    return tracker.Totals().cameras.at("cam1");
  };
  auto t = poll({Session("a", 100)}, {Session("w1", 0, false)}, {{"cam1", "c1", 1000}});
  EXPECT_EQ(t.bytes_sent[P("rtsp")], 100u);
  EXPECT_EQ(t.webrtc_attempts, 1u);
  // a grows, b appears; w1 connects.
  t = poll({Session("a", 250), Session("b", 50)}, {Session("w1", 10, true)},
           {{"cam1", "c1", 1500}});
  EXPECT_EQ(t.bytes_sent[P("rtsp")], 300u);
  EXPECT_EQ(t.bytes_sent[P("webrtc")], 10u);
  EXPECT_EQ(t.bytes_sent[P("hls")], 1500u);
  EXPECT_EQ(t.webrtc_successes, 1u);
  // a ends keeping its 250; w2 tries and vanishes unconnected; the muxer is recreated.
  t = poll({Session("b", 80)}, {Session("w1", 20, true), Session("w2", 0, false)},
           {{"cam1", "c2", 200}});
  EXPECT_EQ(t.bytes_sent[P("rtsp")], 330u);
  EXPECT_EQ(t.bytes_sent[P("hls")], 1700u);
  EXPECT_EQ(t.webrtc_attempts, 2u);
  t = poll({Session("b", 90)}, {Session("w1", 25, true)}, {{"cam1", "c2", 300}});
  EXPECT_EQ(t.webrtc_failures, 1u);
  EXPECT_EQ(t.bytes_sent[P("rtsp")], 340u);
  // MediaMTX restarts: the same ids come back with small counters (a
  // restarted server reusing ids must not make the totals go down), and
  // the established w1 that ended is not a failure.
  t = poll({Session("b", 5)}, {}, {{"cam1", "c2", 40}}, "t1");
  EXPECT_EQ(t.bytes_sent[P("rtsp")], 345u);
  EXPECT_EQ(t.bytes_sent[P("hls")], 1840u);
  EXPECT_EQ(t.bytes_sent[P("webrtc")], 25u);
  EXPECT_EQ(t.webrtc_failures, 1u);
  EXPECT_EQ(tracker.Totals().restarts, 1u);
  // A counter that goes down without a restart seen (no /v3/info) starts over too.
  t = poll({Session("b", 2)}, {}, {{"cam1", "c2", 50}}, "t1");
  EXPECT_EQ(t.bytes_sent[P("rtsp")], 347u);
  EXPECT_EQ(t.bytes_sent[P("hls")], 1850u);
}

TEST(MediaMtxTrackerTest, PathRegexNamesCamerasAndTheCapBoundsThem) {
  auto cap = std::make_shared<CameraIdCap>(2);
  MediaMtxTracker tracker("^live/([^/]+)", cap);
  MediaMtxPoll p;
  for (const char* name : {"live/a", "live/b", "live/c", "other"})
    p.paths.push_back({name, true, {}});
  tracker.Apply(p);
  tracker.Apply(p);
  const MediaMtxTotals t = tracker.Totals();
  ASSERT_EQ(t.cameras.size(), 2u);
  EXPECT_TRUE(t.cameras.contains("a"));
  EXPECT_TRUE(t.cameras.contains("b"));
  EXPECT_EQ(cap->dropped("mediamtx"), 1u);  // live/c, once; "other" does not match
}

TEST(MediaMtxCollectorTest, ExportsEverySeriesWithItsSourceAndPassesPromtool) {
  auto collector = std::make_unique<MediaMtxCollector>(std::make_shared<CameraIdCap>(1000));
  MediaMtxConfig config;
  config.enabled = true;
  config.url = "http://127.0.0.1:9997";
  collector->Apply(config);
  collector->Publish(RecordedPoll("v1.0"));
  CollectorSet set;
  set.Add(std::move(collector));
  const std::string text = set.Scrape({std::chrono::steady_clock::now()});
  const auto has = [&](const std::string& line) {
    EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << line << "\n" << text;
  };
  has("vms_exporter_mediamtx_up 1");
  has("stream_up{camera_id=\"cam1\",protocol=\"rtsp\",source=\"mediamtx\"} 1");
  has("stream_up{camera_id=\"cam3\",protocol=\"rtsp\",source=\"mediamtx\"} 0");
  has("stream_viewers{camera_id=\"cam1\",protocol=\"webrtc\",source=\"mediamtx\"} 1");
  has("stream_bytes_sent_total{camera_id=\"cam1\",protocol=\"hls\",source=\"mediamtx\"} 40000000");
  has("webrtc_connection_attempts_total{camera_id=\"cam1\",source=\"mediamtx\"} 2");
  has("webrtc_connection_failures_total{camera_id=\"cam1\",stage=\"setup\",source=\"mediamtx\"} 0");
  has("vms_exporter_series_dropped_total{reason=\"camera_id_cap\",source=\"mediamtx\"} 0");
  EXPECT_EQ(text.find("stream_viewers{camera_id=\"cam1\",protocol=\"hls\""), std::string::npos)
      << "v1.0 does not list HLS viewers";
  const std::string path = test::MakeTempDir() + "/metrics.prom";
  std::ofstream(path) << text;
  const auto lint = test::RunCommand("promtool check metrics < " + path);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output, "");
}

}  // namespace
}  // namespace vms::streaming_gateway
