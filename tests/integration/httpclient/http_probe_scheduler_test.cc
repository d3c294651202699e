// HttpProbe run by a real ProbeScheduler against Debian's nginx and a
// silent peer: the verdicts, the deadline, removal in flight, and the log.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "nginx_fixture.h"
#include "support/hostile_peer.h"
#include "support/run_until.h"
#include "vms/httpclient/http_probe.h"
#include "vms/probe/probe_scheduler.h"

namespace vms {
namespace {

using namespace std::chrono_literals;
using test::NginxFixture;
using ::testing::HasSubstr;
using ::testing::Not;

class HttpProbeSchedulerTest : public test::NginxSuite {
 protected:
  static HttpProbeConfig Config(const std::string& url) {
    HttpProbeConfig config;
    config.target = "api";
    config.request.url = url;
    config.request.tls.ca_file = nginx_->ca_file();
    return config;
  }

  // Runs the probe on a scheduler until it published `runs` results or
  // `limit` passed; returns the last result.
  static std::shared_ptr<const HttpProbeResult> Run(HttpProbeConfig config,
                                                    std::chrono::milliseconds timeout = 3s,
                                                    std::uint64_t runs = 1) {
    boost::asio::io_context io;
    auto probe = std::make_shared<HttpProbe>(io, std::move(config));
    ProbeScheduler scheduler(io, 2);
    scheduler.Add(probe, {.interval = 50ms, .timeout = timeout, .jitter = 0});
    test::RunUntil(
        io,
        [&] {
          const auto latest = probe->Latest();
          return latest && latest->probes_total >= runs;
        },
        timeout * static_cast<int>(runs) + 10s, [&] { scheduler.Stop(); });
    return probe->Latest();
  }
};

TEST_F(HttpProbeSchedulerTest, HealthyEndpointIsUpWithItsExchange) {
  HttpProbeConfig config = Config(nginx_->Https("/health"));
  config.body_regex = *CompileBodyRegex(R"re("status"\s*:\s*"ok")re");
  const auto r = Run(config, 3s, 3);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->up()) << r->error;
  EXPECT_EQ(r->failure, HttpFailure::kNone);
  EXPECT_EQ(r->probes_total, 3u);
  EXPECT_EQ(r->failures_total, 0u);
  EXPECT_EQ(r->exchange.status, 200);
  EXPECT_EQ(*r->exchange.cert_not_after, nginx_->NotAfter("good.crt"));
  EXPECT_TRUE(r->exchange.phase(HttpPhase::kTls).reached);
  EXPECT_GT(r->duration.count(), 0);
}

TEST_F(HttpProbeSchedulerTest, WrongStatusAndWrongBodyAreTheirOwnFailures) {
  const auto teapot = Run(Config(nginx_->Http("/teapot")));
  ASSERT_TRUE(teapot);
  EXPECT_EQ(teapot->failure, HttpFailure::kStatus);
  EXPECT_EQ(teapot->exchange.status, 418);
  EXPECT_TRUE(teapot->exchange.ok());  // the exchange itself worked
  EXPECT_EQ(teapot->failures_total, 1u);

  HttpProbeConfig config = Config(nginx_->Http("/degraded"));
  config.body_regex = *CompileBodyRegex(R"re("status"\s*:\s*"ok")re");
  const auto degraded = Run(config);
  ASSERT_TRUE(degraded);
  EXPECT_EQ(degraded->failure, HttpFailure::kBody);
  EXPECT_EQ(degraded->exchange.body, R"({"status":"degraded"})");

  HttpProbeConfig expired = Config(nginx_->Https("/health"));
  expired.request.tls.server_name = "expired.test";
  const auto tls = Run(expired);
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->failure, HttpFailure::kTls);
  EXPECT_EQ(*tls->exchange.cert_not_after, nginx_->NotAfter("expired.crt"));
}

TEST_F(HttpProbeSchedulerTest, SilentEndpointTimesOutAtTheSchedulersDeadline) {
  test::HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    if (test::HostilePeer::ReadRequest(fd, stop)) test::HostilePeer::WaitForClose(fd, stop);
  });
  HttpProbeConfig config = Config("http://127.0.0.1:" + std::to_string(peer.port()) + "/health");
  config.request.timeout = 60s;  // the scheduler's deadline comes first
  const auto r = Run(config, 300ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->failure, HttpFailure::kTimeout) << r->error;
  EXPECT_EQ(r->exchange.failed_phase, HttpPhase::kProcessing);
  EXPECT_GE(r->duration, 300ms);
}

TEST_F(HttpProbeSchedulerTest, RemovingAProbeInFlightPublishesNothingAndFreesTheSlot) {
  test::HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    if (test::HostilePeer::ReadRequest(fd, stop)) test::HostilePeer::WaitForClose(fd, stop);
  });
  boost::asio::io_context io;
  auto probe = std::make_shared<HttpProbe>(
      io, Config("http://127.0.0.1:" + std::to_string(peer.port()) + "/"));
  ProbeScheduler scheduler(io, 1);
  const auto id = scheduler.Add(probe, {.interval = 60s, .timeout = 10s, .jitter = 0});
  io.run_for(300ms);
  EXPECT_EQ(scheduler.running(), 1u);
  scheduler.Remove(id);
  EXPECT_EQ(scheduler.running(), 0u);
  io.restart();
  io.run_for(100ms);
  EXPECT_FALSE(probe->Latest());
}

TEST_F(HttpProbeSchedulerTest, CredentialsNeverReachTheLogOrTheResult) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  const std::string hostport = nginx_->Http("/").substr(7, nginx_->Http("/").size() - 8);
  const auto ok = Run(Config("http://probe:" + std::string(NginxFixture::kBasicPassword) + "@" +
                             hostport + "/basic/ok.txt"));
  const auto refused = Run(Config("http://probe:Wr0ng-Secret@" + hostport + "/basic/ok.txt"));
  HttpProbeConfig bearer = Config(nginx_->Http("/bearer/ok.txt"));
  bearer.request.bearer_token = "Wr0ng-Token";
  const auto unauthorized = Run(bearer);
  spdlog::set_default_logger(previous);

  ASSERT_TRUE(ok && refused && unauthorized);
  EXPECT_TRUE(ok->up()) << ok->error;
  EXPECT_EQ(refused->failure, HttpFailure::kStatus);
  EXPECT_EQ(refused->exchange.status, 401);
  EXPECT_EQ(unauthorized->exchange.status, 401);
  const std::string logged = log.str();
  EXPECT_THAT(logged, HasSubstr("http://probe:***@"));
  EXPECT_THAT(logged, HasSubstr("is down (status)"));
  for (const std::string secret : {NginxFixture::kBasicPassword, "Wr0ng-Secret", "Wr0ng-Token"}) {
    EXPECT_THAT(logged, Not(HasSubstr(secret)));
    for (const auto& r : {ok, refused, unauthorized}) {
      EXPECT_THAT(r->error, Not(HasSubstr(secret)));
      EXPECT_THAT(r->exchange.final_url, Not(HasSubstr(secret)));
    }
  }
}

}  // namespace
}  // namespace vms
