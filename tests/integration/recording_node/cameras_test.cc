// The recording node exporter between real parts: gst-rtsp-server cameras
// (none, Basic and Digest auth), real ffmpeg recorders writing segments, and
// the exporter probing and measuring them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "support/camera_sim.h"
#include "support/exporter_process.h"
#include "support/http_client.h"
#include "support/metrics_text.h"

namespace vms::test {
namespace {

using namespace std::chrono_literals;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr char kPassword[] = "Circle-Of-Life";
// Probes every second with a 1 s deadline: "offline within one interval plus
// the timeout" is then 2 s; the waits below allow generous slack for a
// loaded CI machine, they are not latency assertions.
constexpr auto kSettle = 8s;

std::string Series(const std::string& family, const std::string& camera,
                   const std::string& extra = "") {
  return family + "{camera_id=\"" + camera + "\"" + extra + "}";
}

auto Equals(double v) {
  return [v](std::optional<double> x) { return x && *x == v; };
}
auto AtLeast(double v) {
  return [v](std::optional<double> x) { return x && *x >= v; };
}

class CamerasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    std::ofstream(dir_ + "/good.pass") << kPassword << "\n";
    std::ofstream(dir_ + "/wrong.pass") << "not-the-password\n";
  }

  // Writes the config and starts the exporter.
  void StartExporter(const std::string& cameras_yaml) {
    const std::string config = dir_ + "/recording.yml";
    std::ofstream(config) << "probes:\n  interval: 1s\n  timeout: 1s\n"
                          << "recordings:\n  scan_interval: 1s\n"
                          << "cameras:\n"
                          << cameras_yaml;
    exporter_ = std::make_unique<ExporterProcess>(
        "recording_node_exporter", std::vector<std::string>{"--config.file=" + config});
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }

  std::string Camera(const std::string& id, const std::string& url,
                     const std::string& extra = "") {
    return "  - id: " + id + "\n    url: " + url + "\n" + extra;
  }
  std::string Rec(const std::string& id) { return dir_ + "/rec/" + id; }

  unsigned short port() const { return exporter_->port(); }

  std::string dir_;
  std::unique_ptr<ExporterProcess> exporter_;
};

TEST_F(CamerasTest, HealthyCamerasWithAndWithoutAuthAreProvenAndRecorded) {
  CameraSim sim({"--mount", "open", "--mount",
                 std::string("basiccam,auth=basic,user=admin,password=") + kPassword, "--mount",
                 std::string("digestcam,auth=digest,user=admin,password=") + kPassword});
  ASSERT_TRUE(sim.ready()) << sim.output();
  RecorderLoop recorder(sim.url("/open"), Rec("open"));
  const std::string creds = "    username: admin\n    password_file: good.pass\n";
  StartExporter(Camera("open", sim.url("/open"), "    recording_dir: " + Rec("open") + "\n") +
                Camera("basic", sim.url("/basiccam"), creds) +
                Camera("digest", sim.url("/digestcam"), creds));

  for (const char* cam : {"open", "basic", "digest"}) {
    EXPECT_THAT(WaitForSample(port(), Series("camera_connection_status", cam), Equals(1), kSettle),
                Optional(1.0))
        << cam << "\n" << exporter_->Log();
    EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body,
                           Series("camera_connection_state", cam, ",state=\"ok\"")),
                Optional(1.0));
  }
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(body, HasSubstr("camera_info{camera_id=\"digest\",host=\"127.0.0.1\",codec=\"H264\","
                              "width=\"640\",height=\"360\"} 1"));
  EXPECT_THAT(FindSample(body, Series("camera_rtsp_status_code", "basic")), Optional(200.0));

  // The recorder's segments are measured: frames grow, fps near the 10 fps
  // the simulator sends, the recorder process is up.
  EXPECT_THAT(WaitForSample(port(), Series("camera_frames_total", "open"), AtLeast(20), 20s),
              Optional(::testing::Ge(20.0)));
  EXPECT_THAT(WaitForSample(port(), Series("camera_fps", "open"), AtLeast(9), 10s),
              Optional(::testing::DoubleNear(10.0, 0.5)));
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, Series("ffmpeg_process_up", "open")),
              Optional(1.0));

  // The landing page lists cameras with their state and never a password.
  const std::string page = HttpGet(port(), "/").body;
  EXPECT_THAT(page, HasSubstr("<td>digest</td><td>rtsp://127.0.0.1:" + std::to_string(sim.port()) +
                              "/digestcam</td><td>ok</td>"));
  EXPECT_THAT(page, Not(HasSubstr(kPassword)));
  EXPECT_THAT(HttpGet(port(), "/metrics").body, Not(HasSubstr(kPassword)));
  EXPECT_THAT(exporter_->Log(), Not(HasSubstr(kPassword)));
}

TEST_F(CamerasTest, StoppedCameraGoesOfflineAndComesBack) {
  auto sim = std::make_unique<CameraSim>(std::vector<std::string>{"--mount", "victim"});
  ASSERT_TRUE(sim->ready());
  const unsigned short sim_port = sim->port();
  RecorderLoop recorder(sim->url("/victim"), Rec("victim"));
  StartExporter(Camera("victim", sim->url("/victim"), "    recording_dir: " + Rec("victim") + "\n"));
  ASSERT_THAT(WaitForSample(port(), Series("camera_connection_status", "victim"), Equals(1), kSettle),
              Optional(1.0));
  ASSERT_THAT(WaitForSample(port(), Series("ffmpeg_process_up", "victim"), Equals(1), kSettle),
              Optional(1.0));

  sim.reset();  // killed and reaped: the port refuses connections
  const auto killed = std::chrono::steady_clock::now();
  EXPECT_THAT(WaitForSample(port(), Series("camera_connection_status", "victim"), Equals(0), kSettle),
              Optional(0.0));
  const double seconds_to_offline =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  RecordProperty("seconds_to_offline", std::to_string(seconds_to_offline));
  const std::string body = HttpGet(port(), "/metrics").body;
  const auto refused = FindSample(body, Series("camera_connection_state", "victim", ",state=\"refused\""));
  const auto timeout = FindSample(body, Series("camera_connection_state", "victim", ",state=\"timeout\""));
  EXPECT_TRUE((refused && *refused == 1) || (timeout && *timeout == 1)) << body;
  EXPECT_THAT(FindSample(body, Series("camera_rtsp_status_code", "victim")), Optional(0.0));
  // ffmpeg exits when its camera drops; the loop restarts it and each new
  // (pid, start time) counts.
  EXPECT_THAT(WaitForSample(port(), Series("ffmpeg_process_restarts_total", "victim"), AtLeast(1), 15s),
              Optional(::testing::Ge(1.0)));

  CameraSim back({"--mount", "victim"}, sim_port);
  ASSERT_TRUE(back.ready());
  EXPECT_THAT(WaitForSample(port(), Series("camera_connection_status", "victim"), Equals(1), kSettle),
              Optional(1.0));
}

TEST_F(CamerasTest, FrozenCameraTimesOutInsteadOfHanging) {
  CameraSim sim({"--mount", "frozen"});
  ASSERT_TRUE(sim.ready());
  StartExporter(Camera("frozen", sim.url("/frozen")));
  ASSERT_THAT(WaitForSample(port(), Series("camera_connection_status", "frozen"), Equals(1), kSettle),
              Optional(1.0));
  sim.process().Signal(SIGSTOP);  // socket open, nobody answers
  const auto state = Series("camera_connection_state", "frozen", ",state=\"timeout\"");
  EXPECT_THAT(WaitForSample(port(), state, Equals(1), kSettle), Optional(1.0));
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, Series("camera_connection_status", "frozen")),
              Optional(0.0));
  // Probes keep their deadline: the duration reported is the 1 s deadline,
  // not a hang, and scrapes still answer.
  auto duration = FindSample(HttpGet(port(), "/metrics").body,
                             Series("camera_probe_duration_seconds", "frozen"));
  EXPECT_THAT(duration, Optional(::testing::Le(1.5)));
  sim.process().Signal(SIGCONT);
  EXPECT_THAT(WaitForSample(port(), Series("camera_connection_status", "frozen"), Equals(1), kSettle),
              Optional(1.0));
}

TEST_F(CamerasTest, WrongPasswordLocksOutAndStopsAsking) {
  CameraSim sim({"--mount", std::string("lockcam,auth=digest,user=admin,password=") + kPassword});
  ASSERT_TRUE(sim.ready());
  StartExporter(Camera("locked", sim.url("/lockcam"),
                       "    username: admin\n    password_file: wrong.pass\n"));
  const auto locked = Series("camera_connection_state", "locked", ",state=\"locked_out\"");
  ASSERT_THAT(WaitForSample(port(), locked, Equals(1), kSettle), Optional(1.0)) << exporter_->Log();
  // Before the lockout the camera refused the credentials once.
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(FindSample(body, Series("camera_connection_status", "locked")), Optional(0.0));
  EXPECT_THAT(FindSample(body, Series("camera_probe_failures_total", "locked")),
              Optional(::testing::Ge(1.0)));

  const int requests = sim.RequestsFor("/lockcam");
  EXPECT_GT(requests, 0);
  std::this_thread::sleep_for(4s);  // four probe intervals
  EXPECT_EQ(sim.RequestsFor("/lockcam"), requests) << "probes continued after the lockout";
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, locked), Optional(1.0));
  EXPECT_THAT(exporter_->Log(), Not(HasSubstr("not-the-password")));
}

TEST_F(CamerasTest, RecorderKilledThreeTimesCountsThreeRestarts) {
  CameraSim sim({"--mount", "cam"});
  ASSERT_TRUE(sim.ready());
  RecorderLoop recorder(sim.url("/cam"), Rec("cam"));
  StartExporter(Camera("cam", sim.url("/cam"), "    recording_dir: " + Rec("cam") + "\n"));
  ASSERT_THAT(WaitForSample(port(), Series("ffmpeg_process_up", "cam"), Equals(1), kSettle),
              Optional(1.0));
  double cpu_before = FindSample(HttpGet(port(), "/metrics").body,
                                 Series("ffmpeg_process_cpu_seconds_total", "cam")).value_or(-1);
  for (int i = 1; i <= 3; ++i) {
    const int starts = recorder.starts();
    recorder.KillCurrent();
    // Scrape while it is down and after it is back, so each identity is seen.
    for (int j = 0; j < 50 && recorder.starts() == starts; ++j) {
      HttpGet(port(), "/metrics");
      std::this_thread::sleep_for(50ms);
    }
    ASSERT_THAT(WaitForSample(port(), Series("ffmpeg_process_restarts_total", "cam"), Equals(i), kSettle),
                Optional(static_cast<double>(i)));
    const double cpu = FindSample(HttpGet(port(), "/metrics").body,
                                  Series("ffmpeg_process_cpu_seconds_total", "cam")).value_or(-1);
    EXPECT_GE(cpu, cpu_before) << "CPU counter went backwards across a restart";
    cpu_before = cpu;
  }
  EXPECT_THAT(FindSample(HttpGet(port(), "/metrics").body, Series("ffmpeg_process_up", "cam")),
              Optional(1.0));
}

TEST_F(CamerasTest, WithoutConfigCamerasAreDiscoveredFromRunningRecorders) {
  // The recorder's URL carries credentials, as on real nodes, percent-encoded
  // as a password holding '@' and ':' must be: ffmpeg decodes them, and the
  // probe must send the camera the same password or fail where the recorder
  // logs in. The camera_id is the name of the directory it records into.
  const std::string password = std::string("p@ss:") + kPassword;
  CameraSim sim({"--mount", "disc,auth=digest,user=viewer,password=" + password});
  ASSERT_TRUE(sim.ready());
  const std::string url = "rtsp://viewer:p%40ss%3A" + std::string(kPassword) + "@127.0.0.1:" +
                          std::to_string(sim.port()) + "/disc";
  RecorderLoop recorder(url, Rec("discovered-cam"));
  exporter_ = std::make_unique<ExporterProcess>("recording_node_exporter");
  ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  EXPECT_THAT(
      WaitForSample(port(), Series("camera_connection_status", "discovered-cam"), Equals(1), 15s),
      Optional(1.0))
      << exporter_->Log();
  EXPECT_THAT(WaitForSample(port(), Series("ffmpeg_process_up", "discovered-cam"), Equals(1), kSettle),
              Optional(1.0));
  EXPECT_THAT(WaitForSample(port(), Series("camera_frames_total", "discovered-cam"), AtLeast(1), 20s),
              Optional(::testing::Ge(1.0)));
  EXPECT_THAT(HttpGet(port(), "/").body, HasSubstr("discovered-cam (discovered)"));
  EXPECT_THAT(HttpGet(port(), "/").body, Not(HasSubstr(kPassword)));
  EXPECT_THAT(HttpGet(port(), "/metrics").body, Not(HasSubstr(kPassword)));
  EXPECT_THAT(exporter_->Log(), Not(HasSubstr(kPassword)));
  EXPECT_THAT(exporter_->Log(), Not(HasSubstr("p%40ss")));
}

TEST_F(CamerasTest, ReloadAddsAndRemovesCameras) {
  CameraSim sim({"--mounts", "2"});
  ASSERT_TRUE(sim.ready());
  StartExporter(Camera("a", sim.url("/cam1")));
  ASSERT_THAT(WaitForSample(port(), Series("camera_connection_status", "a"), Equals(1), kSettle),
              Optional(1.0));
  std::ofstream(dir_ + "/recording.yml", std::ios::trunc)
      << "probes:\n  interval: 1s\n  timeout: 1s\ncameras:\n" << Camera("b", sim.url("/cam2"));
  ASSERT_EQ(HttpRequestOnce(port(), "POST", "/-/reload").status, 200);
  EXPECT_THAT(WaitForSample(port(), Series("camera_connection_status", "b"), Equals(1), kSettle),
              Optional(1.0));
  const std::string body = HttpGet(port(), "/metrics").body;
  EXPECT_THAT(body, Not(HasSubstr("camera_id=\"a\"")));
}

}  // namespace
}  // namespace vms::test
