// RtspProbe against real cameras (gst-rtsp-server, tests/camera_sim) and
// hostile peers, run by a real ProbeScheduler on an io_context.

#include "vms/rtsp/rtsp_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/camera_sim.h"
#include "support/hostile_peer.h"
#include "support/run_until.h"
#include "support/subprocess.h"
#include "vms/probe/probe_scheduler.h"

namespace vms {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "Circle-Of-Life";

using test::CameraSim;

class RtspProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sim_ = new CameraSim(
        {"--mount", "open", "--mount",
         std::string("basiccam,auth=basic,user=admin,password=") + kPassword, "--mount",
         std::string("digestcam,auth=digest,user=admin,password=") + kPassword, "--mount",
         std::string("lockcam,auth=digest,user=lock,password=") + kPassword, "--mount",
         "hevc,codec=h265", "--mount", "mjpeg,codec=mjpeg"});
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(sim_->ready()) << "camera simulator did not start:\n" << sim_->output();
  }

  // Runs the probe under a ProbeScheduler until `results` results were
  // published or `limit` passed; returns them in order.
  // Sees every result as its run completes (a snapshot polled on a timer
  // can miss one that a quick next run, such as a lockout, overwrites).
  class RecordingProbe : public Probe {
   public:
    explicit RecordingProbe(std::shared_ptr<RtspProbe> inner) : inner_(std::move(inner)) {}
    void Start(std::chrono::steady_clock::time_point deadline,
               std::function<void()> done) override {
      inner_->Start(deadline, [this, done = std::move(done)] {
        if (auto r = inner_->Latest()) seen.push_back(*r);
        done();
      });
    }
    void Cancel() override { inner_->Cancel(); }
    std::vector<RtspProbeResult> seen;

   private:
    std::shared_ptr<RtspProbe> inner_;
  };

  static std::vector<RtspProbeResult> RunProbe(const std::shared_ptr<RtspProbe>& probe,
                                               boost::asio::io_context& io, ProbeSchedule schedule,
                                               std::size_t results,
                                               std::chrono::milliseconds limit) {
    ProbeScheduler scheduler(io, 4);
    auto recorder = std::make_shared<RecordingProbe>(probe);
    scheduler.Add(recorder, schedule);
    test::RunUntil(
        io, [&] { return recorder->seen.size() >= results; }, limit, [&] { scheduler.Stop(); });
    auto seen = recorder->seen;
    seen.resize(std::min(seen.size(), results));
    return seen;
  }

  static RtspProbeResult ProbeOnce(RtspProbeConfig config,
                                   std::chrono::milliseconds timeout = 3000ms) {
    boost::asio::io_context io;
    auto probe = std::make_shared<RtspProbe>(io, std::move(config));
    const auto results =
        RunProbe(probe, io, {.interval = 60s, .timeout = timeout, .jitter = 0}, 1, timeout + 5s);
    EXPECT_EQ(results.size(), 1u) << "no result published";
    return results.empty() ? RtspProbeResult{} : results.front();
  }

  static CameraSim* sim_;
  std::ostringstream log_;
};

CameraSim* RtspProbeTest::sim_ = nullptr;

TEST_F(RtspProbeTest, HealthyCameraIsOkWithCodecAndSize) {
  const int before = sim_->RequestsFor("/open");
  const auto r = ProbeOnce({.camera_id = "open", .url = sim_->url("/open")});
  EXPECT_EQ(r.state, CameraState::kOk) << r.error;
  EXPECT_EQ(r.rtsp_status, 200);
  EXPECT_EQ(r.codec, "H264");
  EXPECT_EQ(r.width, 640);
  EXPECT_EQ(r.height, 360);
  EXPECT_EQ(r.framerate, 10.0);  // the simulator runs at --fps 10
  EXPECT_EQ(r.probes_total, 1u);
  EXPECT_EQ(r.failures_total, 0u);
  EXPECT_GT(r.duration.count(), 0);
  EXPECT_LT(std::chrono::system_clock::now() - r.finished, 30s);
  std::vector<double> ms;
  for (int i = 0; i < 20; ++i) {
    ms.push_back(ProbeOnce({.camera_id = "open", .url = sim_->url("/open")}).duration.count() *
                 1000);
  }
  std::sort(ms.begin(), ms.end());
  std::cout << "probe duration against the simulator over 20 probes: median " << ms[10]
            << " ms, max " << ms.back() << " ms\n";

  // OPTIONS and DESCRIBE only: no SETUP or PLAY takes a stream slot.
  EXPECT_EQ(sim_->RequestsFor("/open") - before, 2 * 21);
  std::ifstream log(sim_->request_log());
  const std::string all(std::istreambuf_iterator<char>(log), {});
  EXPECT_THAT(all, Not(HasSubstr("SETUP")));
  EXPECT_THAT(all, Not(HasSubstr("PLAY")));
}

TEST_F(RtspProbeTest, H265CameraSizeComesFromSpropSps) {
  const auto r = ProbeOnce({.camera_id = "hevc", .url = sim_->url("/hevc")});
  EXPECT_EQ(r.state, CameraState::kOk) << r.error;
  EXPECT_EQ(r.codec, "H265");
  EXPECT_EQ(r.width, 640);
  EXPECT_EQ(r.height, 360);
}

TEST_F(RtspProbeTest, MjpegCameraIsOkWithoutASize) {
  // JPEG over RTP carries its size in the stream only, which a probe that
  // never PLAYs does not see.
  const auto r = ProbeOnce({.camera_id = "mjpeg", .url = sim_->url("/mjpeg")});
  EXPECT_EQ(r.state, CameraState::kOk) << r.error;
  EXPECT_EQ(r.codec, "MJPEG");
  EXPECT_EQ(r.width, 0);
}

TEST_F(RtspProbeTest, BasicAuthWithTheRightPassword) {
  const auto r = ProbeOnce(
      {.camera_id = "b", .url = sim_->url("/basiccam"), .user = "admin", .password = kPassword});
  EXPECT_EQ(r.state, CameraState::kOk) << r.error;
  EXPECT_EQ(r.codec, "H264");
}

TEST_F(RtspProbeTest, DigestAuthWithTheRightPassword) {
  const auto r = ProbeOnce(
      {.camera_id = "d", .url = sim_->url("/digestcam"), .user = "admin", .password = kPassword});
  EXPECT_EQ(r.state, CameraState::kOk) << r.error;
  EXPECT_EQ(r.width, 640);
}

TEST_F(RtspProbeTest, CredentialsInTheUrlAreUsedAndNeverShown) {
  const std::string url = "rtsp://admin:" + std::string(kPassword) + "@" +
                          sim_->url("/digestcam").substr(std::string("rtsp://").size());
  const auto r = ProbeOnce({.camera_id = "d", .url = url});
  EXPECT_EQ(r.state, CameraState::kOk) << r.error;
  const auto bad =
      ProbeOnce({.camera_id = "d",
                 .url = "rtsp://admin:wrongpw@" +
                        sim_->url("/digestcam").substr(std::string("rtsp://").size())});
  EXPECT_EQ(bad.state, CameraState::kUnauthorized);
  EXPECT_THAT(bad.error, Not(HasSubstr("wrongpw")));
}

TEST_F(RtspProbeTest, CredentialsNeverReachTheLog) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  const std::string host = sim_->url("/digestcam").substr(std::string("rtsp://").size());
  ProbeOnce({.camera_id = "d", .url = "rtsp://admin:" + std::string(kPassword) + "@" + host});
  ProbeOnce({.camera_id = "d", .url = "rtsp://admin:wrongpw@" + host});
  ProbeOnce(
      {.camera_id = "d", .url = sim_->url("/digestcam"), .user = "admin", .password = "wrongpw2"});
  spdlog::set_default_logger(previous);
  const std::string logged = log_.str();
  EXPECT_THAT(logged, HasSubstr("rtsp://admin:***@"));
  EXPECT_THAT(logged, HasSubstr("unauthorized"));
  EXPECT_THAT(logged, Not(HasSubstr(kPassword)));
  EXPECT_THAT(logged, Not(HasSubstr("wrongpw")));
}

TEST_F(RtspProbeTest, ProbesRunInParallelWithoutInterfering) {
  boost::asio::io_context io;
  ProbeScheduler scheduler(io, 3);
  std::vector<std::shared_ptr<RtspProbe>> probes;
  for (int i = 0; i < 4; ++i) {
    probes.push_back(std::make_shared<RtspProbe>(io, RtspProbeConfig{.url = sim_->url("/open")}));
    probes.push_back(std::make_shared<RtspProbe>(io, RtspProbeConfig{.url = sim_->url("/hevc")}));
    probes.push_back(std::make_shared<RtspProbe>(
        io,
        RtspProbeConfig{.url = sim_->url("/digestcam"), .user = "admin", .password = kPassword}));
    probes.push_back(std::make_shared<RtspProbe>(
        io,
        RtspProbeConfig{.url = sim_->url("/basiccam"), .user = "admin", .password = kPassword}));
  }
  for (const auto& p : probes) scheduler.Add(p, {.interval = 100ms, .timeout = 2s, .jitter = 0.5});
  io.run_for(1500ms);
  for (const auto& p : probes) {
    const auto r = p->Latest();
    ASSERT_TRUE(r);
    EXPECT_GE(r->probes_total, 3u);
    EXPECT_EQ(r->failures_total, 0u) << r->error;
    EXPECT_EQ(r->width, 640);
  }
}

TEST_F(RtspProbeTest, MissingCredentialsAreUnauthorizedWithoutLockout) {
  const auto r = ProbeOnce({.camera_id = "d", .url = sim_->url("/digestcam")});
  EXPECT_EQ(r.state, CameraState::kUnauthorized);
  EXPECT_EQ(r.rtsp_status, 401);
}

TEST_F(RtspProbeTest, WrongPasswordLocksOutAndStopsAsking) {
  boost::asio::io_context io;
  auto probe = std::make_shared<RtspProbe>(io, RtspProbeConfig{.camera_id = "lock",
                                                               .url = sim_->url("/lockcam"),
                                                               .user = "lock",
                                                               .password = "wrong-password",
                                                               .lockout_backoff = 30min});
  const int before = sim_->RequestsFor("/lockcam");
  const auto results = RunProbe(probe, io, {.interval = 150ms, .timeout = 2s, .jitter = 0}, 6, 10s);
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].state, CameraState::kUnauthorized) << results[0].error;
  EXPECT_EQ(results[0].rtsp_status, 401);
  EXPECT_THAT(results[0].error, Not(HasSubstr("wrong-password")));
  const int after_first = sim_->RequestsFor("/lockcam");
  // OPTIONS, DESCRIBE, DESCRIBE with the answer: one bad login, not a burst.
  EXPECT_LE(after_first - before, 3);
  for (std::size_t i = 1; i < results.size(); ++i) {
    EXPECT_EQ(results[i].state, CameraState::kLockedOut) << i;
    EXPECT_EQ(results[i].rtsp_status, 0);
    EXPECT_LT(results[i].duration, 50ms);
    EXPECT_EQ(results[i].probes_total, i + 1);
    EXPECT_EQ(results[i].failures_total, i + 1);
  }
  // Five more intervals passed without a single request to the camera.
  EXPECT_EQ(sim_->RequestsFor("/lockcam"), after_first);

  // New credentials end the lockout at once.
  probe->SetCredentials("lock", kPassword);
  const auto fixed = RunProbe(probe, io, {.interval = 150ms, .timeout = 2s, .jitter = 0}, 1, 5s);
  ASSERT_EQ(fixed.size(), 1u);
  EXPECT_EQ(fixed[0].state, CameraState::kOk) << fixed[0].error;
  EXPECT_GT(sim_->RequestsFor("/lockcam"), after_first);
}

TEST_F(RtspProbeTest, LockoutEndsAfterTheBackOff) {
  boost::asio::io_context io;
  auto probe = std::make_shared<RtspProbe>(io, RtspProbeConfig{.camera_id = "lock",
                                                               .url = sim_->url("/lockcam"),
                                                               .user = "lock",
                                                               .password = "wrong-password",
                                                               .lockout_backoff = 400ms});
  const auto results = RunProbe(probe, io, {.interval = 150ms, .timeout = 2s, .jitter = 0}, 6, 10s);
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].state, CameraState::kUnauthorized);
  EXPECT_EQ(results[1].state, CameraState::kLockedOut);
  // After 400 ms one more real attempt is made, which fails and locks again.
  int unauthorized = 0;
  for (const auto& r : results) unauthorized += r.state == CameraState::kUnauthorized;
  EXPECT_GE(unauthorized, 2);
  EXPECT_LE(unauthorized, 3);
}

TEST_F(RtspProbeTest, UnknownPathIsNotFound) {
  const auto r = ProbeOnce({.camera_id = "x", .url = sim_->url("/no-such-stream")});
  EXPECT_EQ(r.state, CameraState::kNotFound) << r.error;
  EXPECT_EQ(r.rtsp_status, 404);
  EXPECT_EQ(r.failures_total, 1u);
}

TEST_F(RtspProbeTest, ClosedPortIsRefused) {
  const auto r = ProbeOnce(
      {.camera_id = "x", .url = "rtsp://127.0.0.1:" + std::to_string(test::FreePort()) + "/a"});
  EXPECT_EQ(r.state, CameraState::kRefused) << r.error;
  EXPECT_EQ(r.rtsp_status, 0);
}

TEST_F(RtspProbeTest, BadUrlIsAProtocolErrorWithoutTheSecret) {
  const auto r = ProbeOnce({.camera_id = "x", .url = "rtsps://u:topsecret@127.0.0.1/a"});
  EXPECT_EQ(r.state, CameraState::kProtocolError);
  EXPECT_THAT(r.error, Not(HasSubstr("topsecret")));
}

TEST_F(RtspProbeTest, FrozenCameraTimesOutWithinTheDeadlineThenRecovers) {
  sim_->process().Signal(SIGSTOP);
  const auto frozen = ProbeOnce({.camera_id = "open", .url = sim_->url("/open")}, 1000ms);
  sim_->process().Signal(SIGCONT);
  EXPECT_EQ(frozen.state, CameraState::kTimeout) << frozen.error;
  EXPECT_GE(frozen.duration, 900ms);
  EXPECT_LT(frozen.duration, 2500ms);  // the deadline plus a generous margin, never a hang

  const auto thawed = ProbeOnce({.camera_id = "open", .url = sim_->url("/open")});
  EXPECT_EQ(thawed.state, CameraState::kOk) << thawed.error;
}

TEST_F(RtspProbeTest, RemovingAProbeInFlightPublishesNothingAndFreesTheSlot) {
  sim_->process().Signal(SIGSTOP);
  boost::asio::io_context io;
  auto probe = std::make_shared<RtspProbe>(io, RtspProbeConfig{.url = sim_->url("/open")});
  ProbeScheduler scheduler(io, 1);
  const auto id = scheduler.Add(probe, {.interval = 60s, .timeout = 10s, .jitter = 0});
  io.run_for(200ms);
  EXPECT_EQ(scheduler.running(), 1u);
  scheduler.Remove(id);
  EXPECT_EQ(scheduler.running(), 0u);
  io.run_for(100ms);
  sim_->process().Signal(SIGCONT);
  EXPECT_FALSE(probe->Latest());  // removed, not timed out
}

using test::HostilePeer;

std::string RtspUrlOf(const HostilePeer& peer) {
  return "rtsp://127.0.0.1:" + std::to_string(peer.port()) + "/cam";
}

// Runs one probe of `config` on a scheduler of its own for `run` and returns
// what it published, nullptr if nothing.
std::shared_ptr<const RtspProbeResult> ProbeFor(RtspProbeConfig config,
                                                std::chrono::milliseconds timeout,
                                                std::chrono::milliseconds run) {
  boost::asio::io_context io;
  auto probe = std::make_shared<RtspProbe>(io, std::move(config));
  ProbeScheduler scheduler(io, 1);
  scheduler.Add(probe, {.interval = 60s, .timeout = timeout, .jitter = 0});
  io.run_for(run);
  return probe->Latest();
}

TEST(RtspProbeHostileTest, GarbageIsAProtocolErrorAtOnce) {
  HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    if (HostilePeer::ReadRequest(fd, stop)) {
      HostilePeer::WriteAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    }
  });
  const auto result = ProbeFor({.url = RtspUrlOf(peer)}, 3s, 1500ms);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->state, CameraState::kProtocolError);
  EXPECT_LT(result->duration, 1s);  // not left to the deadline
}

TEST(RtspProbeHostileTest, EndlessHeaderIsCutOffAtTheLimit) {
  std::atomic<std::size_t> sent{0};
  HostilePeer peer([&](int fd, std::atomic<bool>& stop) {
    if (!HostilePeer::ReadRequest(fd, stop)) return;
    HostilePeer::WriteAll(fd, "RTSP/1.0 200 OK\r\nCSeq: 1\r\nX-Endless: ");
    const std::string chunk(4096, 'a');
    // Up to 64 MiB: far more than the probe may hold.
    for (int i = 0; i < 16 * 1024 && !stop; ++i) {
      if (!HostilePeer::WriteAll(fd, chunk)) break;
      sent += chunk.size();
    }
  });
  const auto result = ProbeFor({.url = RtspUrlOf(peer)}, 5s, 2s);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->state, CameraState::kProtocolError);
  EXPECT_THAT(result->error, HasSubstr("headers exceed"));
  // The probe stopped reading at 16 KiB: the peer could push only what the
  // socket buffers held before the connection was closed.
  EXPECT_LT(sent.load(), 16u * 1024 * 1024);
}

TEST(RtspProbeHostileTest, HugeContentLengthIsRefused) {
  HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    std::string request;
    while (HostilePeer::ReadRequest(fd, stop, &request)) {
      const std::string cseq = request.find("DESCRIBE") == 0 ? "2" : "1";
      HostilePeer::WriteAll(
          fd, "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\nContent-Length: 1000000000\r\n\r\nv=0\r\n");
    }
  });
  const auto result = ProbeFor({.url = RtspUrlOf(peer)}, 3s, 1500ms);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->state, CameraState::kProtocolError);
  EXPECT_THAT(result->error, HasSubstr("body exceeds"));
}

// A scripted camera: answers each request from a list, in order.
std::function<void(int, std::atomic<bool>&)> Scripted(std::vector<std::string> answers,
                                                      std::vector<std::string>* requests) {
  auto next = std::make_shared<std::size_t>(0);
  return [answers, requests, next](int fd, std::atomic<bool>& stop) {
    std::string request;
    while (*next < answers.size() && HostilePeer::ReadRequest(fd, stop, &request)) {
      requests->push_back(request);
      const std::size_t cseq_at = request.find("CSeq: ");
      const std::string cseq =
          request.substr(cseq_at + 6, request.find('\r', cseq_at) - cseq_at - 6);
      std::string answer = answers[(*next)++];
      answer.replace(answer.find("CSEQ"), 4, cseq);
      if (!HostilePeer::WriteAll(fd, answer)) return;
    }
  };
}

constexpr char kSdp[] =
    "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 sprop-parameter-sets=Z2QAH6zZQFAFuhAAAAMAEAAAAwMo8YMZYA==,aOvjyyLA\r\n";

std::string Ok200(const std::string& body = "") {
  return "RTSP/1.0 200 OK\r\nCSeq: CSEQ\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

TEST(RtspProbeScriptedTest, StaleNonceIsRetriedOnceAndIsNotAnAuthFailure) {
  std::vector<std::string> requests;
  HostilePeer peer(Scripted(
      {Ok200(),
       "RTSP/1.0 401 Unauthorized\r\nCSeq: CSEQ\r\nWWW-Authenticate: Digest realm=\"cam\", "
       "nonce=\"n1\", qop=\"auth\"\r\n\r\n",
       "RTSP/1.0 401 Unauthorized\r\nCSeq: CSEQ\r\nWWW-Authenticate: Digest realm=\"cam\", "
       "nonce=\"n2\", qop=\"auth\", stale=true\r\n\r\n",
       Ok200(kSdp)},
      &requests));
  const auto result = ProbeFor({.url = RtspUrlOf(peer), .user = "u", .password = "p"}, 3s, 1500ms);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->state, CameraState::kOk) << result->error;
  EXPECT_EQ(result->width, 1280);
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_THAT(requests[2], HasSubstr("nonce=\"n1\""));
  EXPECT_THAT(requests[2], HasSubstr("nc=00000001"));
  EXPECT_THAT(requests[3], HasSubstr("nonce=\"n2\""));
  EXPECT_THAT(requests[3], HasSubstr("nc=00000001"));
}

TEST(RtspProbeScriptedTest, OverloadedAndNoVideoTrack) {
  {
    std::vector<std::string> requests;
    HostilePeer peer(
        Scripted({Ok200(), "RTSP/1.0 453 Not Enough Bandwidth\r\nCSeq: CSEQ\r\n\r\n"}, &requests));
    const auto result = ProbeFor({.url = RtspUrlOf(peer)}, 3s, 1s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->state, CameraState::kOverloaded);
    EXPECT_EQ(result->rtsp_status, 453);
  }
  {
    std::vector<std::string> requests;
    HostilePeer peer(Scripted({Ok200(), Ok200("v=0\r\nm=audio 0 RTP/AVP 0\r\n")}, &requests));
    const auto result = ProbeFor({.url = RtspUrlOf(peer)}, 3s, 1s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->state, CameraState::kProtocolError);
    EXPECT_THAT(result->error, HasSubstr("no video track"));
    EXPECT_EQ(result->rtsp_status, 200);
  }
}

}  // namespace
}  // namespace vms
