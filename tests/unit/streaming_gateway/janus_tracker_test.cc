// The Janus parser and tracker on events recorded from a real Janus 1.1.2
// and on the shapes of Janus' sources (tests/fixtures/janus/README.md).
#include "streaming_gateway/janus_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "streaming_gateway/janus_event.h"
#include "support/subprocess.h"
#include "vms/base/file.h"
#include "vms/http/http_server.h"

namespace vms::streaming_gateway {
namespace {

std::vector<JanusEvent> Fixture(const std::string& name) {
  auto text = ReadFile(test::SourcePath("tests/fixtures/janus/" + name));
  EXPECT_TRUE(text.ok()) << name;
  auto parsed = ParseJanusEvents(text.ok() ? *text : "[]");
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return parsed.ok() ? parsed->events : std::vector<JanusEvent>{};
}

std::uint64_t Failures(const JanusCameraTotals& t, std::string_view stage) {
  for (std::size_t i = 0; i < kJanusFailureStages.size(); ++i) {
    if (kJanusFailureStages[i] == stage) return t.failures[i];
  }
  return ~0ull;
}

JanusTracker Tracker(JanusTrackerOptions options = {}, std::size_t cap = 100) {
  return JanusTracker(std::move(options), std::make_shared<CameraIdCap>(cap));
}

TEST(JanusEventTest, ReadsTheRecordedShapes) {
  const auto events = Fixture("ice_failed.json");
  ASSERT_EQ(events.size(), 16u);
  EXPECT_EQ(events[0].type, kJanusCore);
  EXPECT_EQ(events[0].core_status, "started");
  EXPECT_EQ(events[2].type, kJanusHandle);
  EXPECT_EQ(events[2].name, "attached");
  EXPECT_EQ(events[2].plugin, "janus.plugin.streaming");
  EXPECT_NE(events[2].handle_id, 0u);
  EXPECT_EQ(events[7].type, kJanusPlugin);
  EXPECT_EQ(events[7].mountpoint, "1");
  EXPECT_EQ(events[7].plugin_status, "starting");
  EXPECT_EQ(events[10].ice, "failed");
  EXPECT_EQ(events[11].type, kJanusMedia);
  ASSERT_EQ(events[11].stats.size(), 1u);
  EXPECT_EQ(events[11].stats[0].mid, "v");
  EXPECT_EQ(events[11].stats[0].packets_sent, 0u);
  EXPECT_EQ(events[12].connection, "hangup");
  EXPECT_EQ(events[12].reason, "ICE failed");
}

TEST(JanusEventTest, KeepsSixtyFourBitIdsExact) {
  const auto events = Fixture("webrtcup_from_source.json");
  EXPECT_EQ(events[0].handle_id, 18446744073709551557ull);
  EXPECT_EQ(events[0].session_id, 9007199254740993ull);
  EXPECT_EQ(events[17].stats.size(), 1u);  // combine_media_stats' array
}

TEST(JanusEventTest, OneObjectGzippedAsJanusPostsIt) {
  auto raw = ReadFile(test::SourcePath("tests/fixtures/janus/attached_event.json.gz"));
  ASSERT_TRUE(raw.ok());
  auto text = GzipDecompress(*raw, 1 << 20);
  ASSERT_TRUE(text.ok()) << text.error();
  auto parsed = ParseJanusEvents(*text);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->events.size(), 1u);
  EXPECT_EQ(parsed->events[0].name, "attached");
  EXPECT_EQ(parsed->events[0].opaque_id, "cam1-viewer-a");
}

TEST(JanusEventTest, HostileBodiesAreErrorsOrSkipped) {
  EXPECT_FALSE(ParseJanusEvents("").ok());
  EXPECT_FALSE(ParseJanusEvents("[{\"type\":1}").ok());
  EXPECT_FALSE(ParseJanusEvents("42").ok());
  EXPECT_FALSE(ParseJanusEvents(std::string(100000, '[')).ok());
  EXPECT_FALSE(ParseJanusEvents("[{\"type\":1},{\"type\":2},{\"type\":4}]", 2).ok());
  auto odd = ParseJanusEvents(
      R"([1, "x", {}, {"type": -1}, {"type": "2"}, {"type": 2, "event": 5},
          {"type": 32, "event": {"media": 3}}, {"type": 16, "event": {"ice": 7}}])");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->skipped, 5u);
  EXPECT_EQ(odd->events.size(), 3u);
}

TEST(JanusTrackerTest, AttachThenDetachIsAnAttemptAndAHangupBeforeWebrtcup) {
  auto tracker = Tracker({.opaque_id_regex = "^(cam[0-9]+)-"});
  tracker.Apply(Fixture("attach_detach.json"));
  const JanusTotals t = tracker.Totals();
  ASSERT_EQ(t.cameras.size(), 1u);
  const JanusCameraTotals& cam = t.cameras.at("cam1");
  EXPECT_EQ(cam.attempts, 1u);
  EXPECT_EQ(cam.successes, 0u);
  EXPECT_EQ(Failures(cam, "hangup_before_webrtcup"), 1u);
  EXPECT_EQ(Failures(cam, "ice_failed"), 0u);
  EXPECT_EQ(t.handles_tracked, 0u);
}

TEST(JanusTrackerTest, UngroupedEventsCountTheSame) {
  auto tracker = Tracker({.opaque_id_regex = "^(cam[0-9]+)-"});
  tracker.Apply(Fixture("attach_detach_ungrouped_gzip.json"));
  EXPECT_EQ(Failures(tracker.Totals().cameras.at("cam1"), "hangup_before_webrtcup"), 1u);
}

TEST(JanusTrackerTest, IceFailureIsCountedOnceForTheMountpointsCamera) {
  auto tracker = Tracker({.mountpoints = {{"1", "front-door"}}});
  tracker.Apply(Fixture("ice_failed.json"));
  const JanusTotals t = tracker.Totals();
  ASSERT_EQ(t.cameras.size(), 1u);
  const JanusCameraTotals& cam = t.cameras.at("front-door");
  EXPECT_EQ(cam.attempts, 1u);
  EXPECT_EQ(Failures(cam, "ice_failed"), 1u);
  EXPECT_EQ(Failures(cam, "hangup_before_webrtcup"),
            0u);  // the hangup that follows is the same failure
  EXPECT_EQ(t.handles_tracked, 0u);
}

TEST(JanusTrackerTest, WithoutARuleAMountpointIsItsOwnCameraAndNoneIsUnknown) {
  auto tracker = Tracker();
  tracker.Apply(Fixture("ice_failed.json"));
  tracker.Apply(Fixture("attach_detach.json"));  // no mountpoint event before the detach
  const JanusTotals t = tracker.Totals();
  EXPECT_EQ(t.cameras.at("1").attempts, 1u);
  EXPECT_EQ(t.cameras.at("unknown").attempts, 1u);
  EXPECT_EQ(Failures(t.cameras.at("unknown"), "hangup_before_webrtcup"), 1u);
}

TEST(JanusTrackerTest, WebrtcupDtlsFailuresSetupTimesAndMediaCounters) {
  auto tracker = Tracker({.opaque_id_regex = "^(cam[0-9]+)-"});
  const auto events = Fixture("webrtcup_from_source.json");
  // Up to the first stats report: one connection up.
  tracker.Apply(std::vector<JanusEvent>(events.begin(), events.begin() + 9));
  JanusTotals t = tracker.Totals();
  JanusCameraTotals cam = t.cameras.at("cam7");
  EXPECT_EQ(cam.attempts, 1u);
  EXPECT_EQ(cam.successes, 1u);
  EXPECT_EQ(cam.connected, 1u);
  EXPECT_EQ(cam.setup_count, 1u);
  EXPECT_DOUBLE_EQ(cam.setup_sum, 1.2);  // attached at 1000 s, webrtcup at 1001.2 s
  EXPECT_EQ(cam.setup_buckets[4], 1u);   // le=2
  EXPECT_EQ(cam.packets_sent, 1800u);
  EXPECT_EQ(cam.lost_outbound, 5u);
  EXPECT_DOUBLE_EQ(*cam.rtt_seconds, 0.030);

  tracker.Apply(std::vector<JanusEvent>(events.begin() + 9, events.end()));
  cam = tracker.Totals().cameras.at("cam7");
  EXPECT_EQ(cam.attempts, 4u);  // x, y, z, and x's second offer
  EXPECT_EQ(cam.successes, 2u);
  EXPECT_EQ(Failures(cam, "dtls_failed"), 2u);  // y's DTLS alert, z's DTLS failed
  EXPECT_EQ(Failures(cam, "hangup_before_webrtcup"), 0u);
  EXPECT_EQ(cam.connected, 1u);  // x again; z is still attached, not up
  EXPECT_EQ(cam.setup_count, 2u);
  EXPECT_DOUBLE_EQ(cam.setup_sum, 1.2 + 0.6);
  // The second PeerConnection's counters start over: its 100 packets are new.
  EXPECT_EQ(cam.packets_sent, 1900u);
  EXPECT_EQ(cam.packets_received, 10u);
  EXPECT_EQ(cam.lost_inbound, 1u);
  EXPECT_EQ(cam.lost_outbound, 6u);
  EXPECT_DOUBLE_EQ(*cam.rtt_seconds, 0.020);
}

TEST(JanusTrackerTest, RetransmittedEventsAndOtherPluginsAreNotCountedTwice) {
  auto tracker = Tracker({.opaque_id_regex = "^(cam[0-9]+)-"});
  auto events = Fixture("attach_detach.json");
  std::vector<JanusEvent> twice = events;
  twice.insert(twice.begin() + 3, events[2]);  // the attach again
  tracker.Apply(twice);
  EXPECT_EQ(tracker.Totals().cameras.at("cam1").attempts, 1u);

  auto echo = Tracker({.plugins = {"janus.plugin.echotest"}});
  echo.Apply(events);
  EXPECT_TRUE(echo.Totals().cameras.empty());
}

TEST(JanusTrackerTest, CamerasBeyondTheCapAreDroppedAndCounted) {
  auto cap = std::make_shared<CameraIdCap>(1);
  JanusTracker tracker({.opaque_id_regex = "^(cam[0-9]+)-"}, cap);
  auto events = Fixture("attach_detach.json");
  tracker.Apply(events);
  for (JanusEvent& e : events) {
    if (!e.opaque_id.empty()) e.opaque_id = "cam2-viewer";
    e.handle_id += 1;
  }
  tracker.Apply(events);
  tracker.Apply(events);
  EXPECT_EQ(tracker.Totals().cameras.size(), 1u);
  EXPECT_EQ(cap->dropped("janus"), 1u);  // cam2, once
}

TEST(JanusTrackerTest, HandlesBeyondTheLimitEvictTheOldest) {
  auto tracker = Tracker({.max_handles = 2});
  JanusEvent attach;
  attach.type = kJanusHandle;
  attach.name = "attached";
  attach.plugin = "janus.plugin.streaming";
  for (std::uint64_t id = 1; id <= 5; ++id) {
    attach.handle_id = id;
    tracker.Apply({attach});
  }
  const JanusTotals t = tracker.Totals();
  EXPECT_EQ(t.handles_tracked, 2u);
  EXPECT_EQ(t.handles_evicted, 3u);
}

}  // namespace
}  // namespace vms::streaming_gateway
