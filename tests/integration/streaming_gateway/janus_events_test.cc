// A real Janus (Debian's janus package) posts its events to the streaming
// gateway exporter's receiver, with grouping and compression on and off; the
// test drives Janus through its HTTP API (sessions, streaming plugin
// handles, watch, a failing SDP answer) and checks what the exporter counts.
// A successful PeerConnection needs a WebRTC peer this test does not run: the
// success path is covered by the unit tests on shapes from Janus' sources.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"
#include "support/subprocess.h"
#include "vms/json/json_parser.h"

namespace vms {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kLib = "/usr/lib/x86_64-linux-gnu/janus";

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

struct JanusOptions {
  bool grouping = true;
  bool compress = false;
};

// Janus on 127.0.0.1 with only the streaming plugin (mountpoint 1), the HTTP
// transport and the sample event handler posting to `events_port`.
class JanusProcess {
 public:
  JanusProcess(unsigned short events_port, JanusOptions options)
      : dir_(test::MakeTempDir()), api_port_(test::FreePort()) {
    for (const char* sub : {"plugins", "transports", "events", "loggers"}) {
      fs::create_directories(dir_ + "/" + sub);
    }
    fs::create_symlink(std::string(kLib) + "/plugins/libjanus_streaming.so",
                       dir_ + "/plugins/libjanus_streaming.so");
    fs::create_symlink(std::string(kLib) + "/transports/libjanus_http.so",
                       dir_ + "/transports/libjanus_http.so");
    fs::create_symlink(std::string(kLib) + "/events/libjanus_sampleevh.so",
                       dir_ + "/events/libjanus_sampleevh.so");
    Write(dir_ + "/janus.jcfg", "general: { configs_folder = \"" + dir_ + "\" plugins_folder = \"" +
                                    dir_ + "/plugins\" transports_folder = \"" + dir_ +
                                    "/transports\" events_folder = \"" + dir_ +
                                    "/events\" loggers_folder = \"" + dir_ +
                                    "/loggers\" debug_level = 4 }\n"
                                    "media: { rtp_port_range = \"40000-40500\" }\n"
                                    "events: { broadcast = true stats_period = 1 }\n");
    Write(dir_ + "/janus.transport.http.jcfg",
          "general: { http = true port = " + std::to_string(api_port_) +
              " interface = \"lo\" base_path = \"/janus\" }\nadmin: { admin_http = false }\n");
    Write(dir_ + "/janus.eventhandler.sampleevh.jcfg",
          std::string("general: { enabled = true events = \"all\" json = \"compact\" grouping = ") +
              (options.grouping ? "true" : "false") +
              " compress = " + (options.compress ? "true" : "false") +
              " backend = \"http://127.0.0.1:" + std::to_string(events_port) +
              "/\" backend_user = \"janus\" backend_pwd = \"s3cret\" }\n");
    Write(dir_ + "/janus.plugin.streaming.jcfg",
          "general: { }\ncam1: { type = \"rtp\" id = 1 description = \"cam1\" audio = false "
          "video = true videoport = 0 videopt = 96 videocodec = \"vp8\" }\n");
    process_ = std::make_unique<test::Subprocess>(
        std::vector<std::string>{"/usr/bin/janus", "-C", dir_ + "/janus.jcfg", "-F", dir_},
        dir_ + "/janus.log");
    ready_ = test::WaitForPort(api_port_, 20s);
  }
  ~JanusProcess() {
    process_->Signal(SIGTERM);
    if (process_->Wait(10s) == -1) process_->Signal(SIGKILL);
  }
  bool ready() const { return ready_; }

  // A Janus API request; the parsed answer (null on failure).
  JsonValue Api(const std::string& path, const std::string& body) {
    auto reply = test::HttpPost(api_port_, "/janus" + path, body);
    auto doc = ParseJson(reply.body);
    EXPECT_TRUE(doc.ok()) << path << ": " << reply.status << " " << reply.error << " "
                          << reply.body;
    return doc.ok() ? *doc : JsonValue();
  }
  // The session's events (long poll).
  JsonValue Poll(std::uint64_t session) {
    auto reply = test::HttpRequestOnce(api_port_, "GET",
                                       "/janus/" + std::to_string(session) + "?maxev=5", {}, 40s);
    auto doc = ParseJson(reply.body);
    return doc.ok() ? *doc : JsonValue();
  }
  std::uint64_t CreateSession() {
    return Api("", R"({"janus":"create","transaction":"c"})")
        .Find("data")
        ->FindUint64("id")
        .value();
  }
  std::uint64_t Attach(std::uint64_t session, const std::string& opaque_id) {
    return Api("/" + std::to_string(session),
               R"({"janus":"attach","plugin":"janus.plugin.streaming","opaque_id":")" + opaque_id +
                   R"(","transaction":"a"})")
        .Find("data")
        ->FindUint64("id")
        .value();
  }
  // Watches mountpoint 1; returns Janus' SDP offer.
  std::string Watch(std::uint64_t session, std::uint64_t handle) {
    Api(Path(session, handle),
        R"({"janus":"message","body":{"request":"watch","id":1},"transaction":"w"})");
    for (int i = 0; i < 5; ++i) {
      const JsonValue events = Poll(session);
      const JsonValue::Array* list = events.AsArray();
      for (std::size_t j = 0; list && j < list->size(); ++j) {
        if (const JsonValue* jsep = (*list)[j].Find("jsep"))
          return std::string(*jsep->FindString("sdp"));
      }
    }
    ADD_FAILURE() << "no offer from Janus";
    return "";
  }
  void Detach(std::uint64_t session, std::uint64_t handle) {
    Api(Path(session, handle), R"({"janus":"detach","transaction":"d"})");
  }
  void Destroy(std::uint64_t session) {
    Api("/" + std::to_string(session), R"({"janus":"destroy","transaction":"x"})");
  }
  // Answers the offer for a peer that is not there (one candidate on the
  // discard port of 127.0.0.1, where nothing answers), so ICE fails.
  void AnswerWithoutPeer(std::uint64_t session, std::uint64_t handle, const std::string& offer) {
    std::string answer;
    std::size_t pos = 0;
    while (pos < offer.size()) {
      std::size_t eol = offer.find("\r\n", pos);
      if (eol == std::string::npos) eol = offer.size();
      std::string line = offer.substr(pos, eol - pos);
      pos = eol + 2;
      if (line.starts_with("a=ice-ufrag:")) line = "a=ice-ufrag:abcd";
      if (line.starts_with("a=ice-pwd:")) line = "a=ice-pwd:abcdefghijklmnopqrstuvwx";
      if (line == "a=sendonly") line = "a=recvonly";
      if (line.starts_with("a=setup:")) line = "a=setup:active";
      if (line.starts_with("a=candidate") || line.starts_with("a=ssrc") ||
          line.starts_with("a=msid") || line.starts_with("a=end-of") || line.empty()) {
        continue;
      }
      answer += line + "\\r\\n";
    }
    Api(Path(session, handle),
        R"({"janus":"message","body":{"request":"start"},"jsep":{"type":"answer","sdp":")" +
            answer + R"("},"transaction":"s"})");
    Api(Path(session, handle),
        R"({"janus":"trickle","candidate":{"candidate":"candidate:1 1 udp 2015363327 127.0.0.1 9 typ host","sdpMid":"v","sdpMLineIndex":0},"transaction":"t"})");
    Api(Path(session, handle),
        R"({"janus":"trickle","candidate":{"completed":true},"transaction":"u"})");
  }

 private:
  static std::string Path(std::uint64_t session, std::uint64_t handle) {
    return "/" + std::to_string(session) + "/" + std::to_string(handle);
  }
  std::string dir_;
  unsigned short api_port_;
  std::unique_ptr<test::Subprocess> process_;
  bool ready_ = false;
};

class JanusEventsTest : public ::testing::TestWithParam<JanusOptions> {
 protected:
  void SetUp() override {
    dir_ = test::MakeTempDir();
    events_port_ = test::FreePort();
    Write(dir_ + "/janus.pass", "s3cret\n");
    Write(dir_ + "/config.yml",
          "janus:\n"
          "  listen_address: 127.0.0.1:" +
              std::to_string(events_port_) +
              "\n"
              "  username: janus\n"
              "  password_file: janus.pass\n"
              "  opaque_id_regex: '^(cam[0-9]+)-'\n"
              "  mountpoints:\n"
              "    - {id: '1', camera_id: lobby}\n"
              // Both sources write vms_exporter_series_dropped_total: the scrape
              // must still be one family (promtool below).
              "mediamtx:\n"
              "  url: http://127.0.0.1:9\n");
    exporter_ = std::make_unique<test::ExporterProcess>(
        "streaming_gateway_exporter",
        std::vector<std::string>{"--config.file=" + dir_ + "/config.yml"});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
    ASSERT_TRUE(test::WaitForPort(events_port_, 10s));
  }

  // Waits until the series has the value (the exporter gets Janus' events
  // asynchronously); returns what it last saw.
  std::optional<double> WaitFor(const std::string& series, double value) {
    return test::WaitForSample(
        exporter_->port(), series, [value](std::optional<double> v) { return v == value; }, 60s);
  }

  std::string dir_;
  unsigned short events_port_ = 0;
  std::unique_ptr<test::ExporterProcess> exporter_;
};

TEST_P(JanusEventsTest, CountsAttemptsHangupsAndIceFailuresOfRealJanusHandles) {
  JanusProcess janus(events_port_, GetParam());
  ASSERT_TRUE(janus.ready());
  const std::uint64_t session = janus.CreateSession();
  // Three viewers of camera cam1 (by opaque_id) watch and leave before any
  // PeerConnection is up.
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t handle = janus.Attach(session, "cam1-viewer-" + std::to_string(i));
    janus.Watch(session, handle);
    janus.Detach(session, handle);
  }
  // One more viewer (no opaque_id: the mountpoint names the camera) answers
  // without a peer: ICE fails.
  const std::uint64_t handle = janus.Attach(session, "");
  janus.AnswerWithoutPeer(session, handle, janus.Watch(session, handle));

  const std::string cam1 = "{camera_id=\"cam1\",source=\"janus\"}";
  EXPECT_EQ(WaitFor("webrtc_connection_attempts_total" + cam1, 3), 3);
  EXPECT_EQ(WaitFor("webrtc_connection_failures_total{camera_id=\"cam1\",stage=\"hangup_before_"
                    "webrtcup\",source=\"janus\"}",
                    3),
            3);
  EXPECT_EQ(WaitFor("webrtc_connection_failures_total{camera_id=\"lobby\",stage=\"ice_failed\","
                    "source=\"janus\"}",
                    1),
            1);
  janus.Destroy(session);

  const std::string text = test::HttpGet(exporter_->port(), "/metrics").body;
  EXPECT_EQ(test::FindSample(
                text, "webrtc_connection_attempts_total{camera_id=\"lobby\",source=\"janus\"}"),
            1);
  EXPECT_EQ(test::FindSample(text, "webrtc_connection_successes_total" + cam1), 0);
  EXPECT_EQ(test::FindSample(text,
                             "webrtc_connection_failures_total{camera_id=\"lobby\",stage=\"hangup_"
                             "before_webrtcup\",source=\"janus\"}"),
            0);
  EXPECT_EQ(test::FindSample(
                text, "stream_viewers{camera_id=\"cam1\",protocol=\"webrtc\",source=\"janus\"}"),
            0);
  EXPECT_EQ(
      test::FindSample(text, "vms_exporter_janus_rejected_requests_total{reason=\"unauthorized\"}"),
      0);
  EXPECT_EQ(test::FindSample(text, "vms_exporter_janus_up"), 1);
  EXPECT_EQ(test::FindSample(
                text, "webrtc_connection_attempts_total{camera_id=\"unknown\",source=\"janus\"}"),
            std::nullopt);

  const std::string path = dir_ + "/metrics.prom";
  Write(path, text);
  const auto lint = test::RunCommand("promtool check metrics < " + path);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output, "");
}

TEST_P(JanusEventsTest, RefusesPostsWithoutTheCredentials) {
  auto reply = test::HttpPost(events_port_, "/", R"({"type":2,"event":{"name":"attached"}})");
  EXPECT_EQ(reply.status, 401);
  reply = test::HttpPost(events_port_, "/", "{",
                         {{"Authorization", test::BasicAuthorization("janus:s3cret")}});
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(WaitFor("vms_exporter_janus_rejected_requests_total{reason=\"unauthorized\"}", 1), 1);
  EXPECT_EQ(WaitFor("vms_exporter_janus_rejected_requests_total{reason=\"bad_body\"}", 1), 1);
}

INSTANTIATE_TEST_SUITE_P(Grouping, JanusEventsTest,
                         ::testing::Values(JanusOptions{true, false}, JanusOptions{false, true}),
                         [](const auto& info) {
                           return std::string(info.param.grouping ? "Grouped" : "OneByOne") +
                                  (info.param.compress ? "Gzip" : "Plain");
                         });

}  // namespace
}  // namespace vms
