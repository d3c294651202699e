// The HTTP layer of a real exporter binary: endpoints, gzip, keep-alive,
// concurrency and hostile clients.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <future>
#include <thread>

#include "support/exporter_process.h"
#include "support/http_client.h"

namespace vms::test {
namespace {

using ::testing::HasSubstr;

class HttpServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    exporter_ = std::make_unique<ExporterProcess>(GetParam());
    ASSERT_TRUE(exporter_->ready()) << exporter_->Log();
  }
  unsigned short port() const { return exporter_->port(); }
  std::unique_ptr<ExporterProcess> exporter_;
};

TEST_P(HttpServerTest, EndpointsAnswer) {
  auto metrics = HttpGet(port(), "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.headers["content-type"], HasSubstr("version=0.0.4"));
  EXPECT_THAT(metrics.body, HasSubstr("vms_exporter_build_info{"));
  EXPECT_THAT(metrics.body, HasSubstr("process_resident_memory_bytes "));

  auto landing = HttpGet(port(), "/");
  EXPECT_EQ(landing.status, 200);
  EXPECT_THAT(landing.headers["content-type"], HasSubstr("text/html"));
  EXPECT_THAT(landing.body, HasSubstr("<a href=\"/metrics\">"));
  EXPECT_THAT(landing.body, HasSubstr(GetParam()));

  EXPECT_EQ(HttpGet(port(), "/-/healthy").status, 200);
  EXPECT_EQ(HttpGet(port(), "/-/ready").status, 200);
  EXPECT_EQ(HttpGet(port(), "/nope").status, 404);
  EXPECT_EQ(HttpGet(port(), "/metricsx").status, 404);
  EXPECT_EQ(HttpRequestOnce(port(), "GET", "/-/reload").status, 405);
  EXPECT_EQ(HttpRequestOnce(port(), "POST", "/-/reload").status, 200);
}

TEST_P(HttpServerTest, GzipWhenAccepted) {
  auto plain = HttpGet(port(), "/metrics");
  auto gz = HttpGet(port(), "/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.headers["content-encoding"], "gzip");
  ASSERT_GE(gz.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gz.body[1]), 0x8b);
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  auto refused = HttpGet(port(), "/metrics", {{"Accept-Encoding", "gzip;q=0, identity"}});
  EXPECT_EQ(refused.headers.count("content-encoding"), 0u);

  // curl decodes it back to the same exposition.
  auto curl = RunCommand("curl -sf --compressed http://127.0.0.1:" + std::to_string(port()) +
                         "/metrics");
  EXPECT_EQ(curl.exit_code, 0);
  EXPECT_THAT(curl.output, HasSubstr("vms_exporter_build_info{"));
}

TEST_P(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.connected());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(conn.Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto reply = conn.ReadResponse();
    ASSERT_EQ(reply.status, 200) << reply.error;
    EXPECT_THAT(reply.body, HasSubstr("vms_exporter_build_info"));
  }
  ASSERT_TRUE(conn.Send("GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(conn.ReadResponse().status, 200);
  EXPECT_TRUE(conn.WaitClosed(std::chrono::seconds(2)));
}

TEST_P(HttpServerTest, ConcurrentScrapesAllSucceed) {
  std::vector<std::future<int>> results;
  for (int i = 0; i < 16; ++i) {
    results.push_back(std::async(std::launch::async, [this] {
      int ok = 0;
      for (int j = 0; j < 10; ++j) ok += HttpGet(port(), "/metrics").status == 200;
      return ok;
    }));
  }
  int total = 0;
  for (auto& r : results) total += r.get();
  // --web.max-requests defaults to 40, above the 16 clients here.
  EXPECT_EQ(total, 160);
}

TEST_P(HttpServerTest, SlowAndHalfSentRequestsDoNotDelayOthers) {
  // Connections that never finish their request, and one that never sends.
  std::vector<std::unique_ptr<RawConnection>> stalled;
  for (int i = 0; i < 20; ++i) {
    auto c = std::make_unique<RawConnection>(port());
    ASSERT_TRUE(c->connected());
    if (i % 2 == 0) c->Send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    stalled.push_back(std::move(c));
  }
  // A well-behaved scrape still answers at once; 2 s is far above a normal
  // scrape and far below the server's 10 s request timeout that would free
  // the stalled connections.
  const auto start = std::chrono::steady_clock::now();
  auto reply = HttpRequestOnce(port(), "GET", "/metrics", {}, std::chrono::seconds(2));
  EXPECT_EQ(reply.status, 200) << reply.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_P(HttpServerTest, OversizedHeadersRejected) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.connected());
  std::string big(16 * 1024, 'a');
  conn.Send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n");
  auto reply = conn.ReadResponse();
  EXPECT_EQ(reply.status, 431) << reply.error;
  EXPECT_TRUE(conn.WaitClosed(std::chrono::seconds(2)));
  EXPECT_EQ(HttpGet(port(), "/metrics").status, 200);
}

TEST_P(HttpServerTest, GarbageRequestClosesOnlyThatConnection) {
  RawConnection conn(port());
  conn.Send("\x16\x03\x01 this is not HTTP\r\n\r\n");
  EXPECT_TRUE(conn.WaitClosed(std::chrono::seconds(2)));
  EXPECT_EQ(HttpGet(port(), "/metrics").status, 200);
}

TEST_P(HttpServerTest, SigtermStopsWithinOneSecondAfterInFlightScrape) {
  RawConnection idle(port());  // an idle keep-alive client must not hold shutdown
  ASSERT_TRUE(idle.connected());
  RawConnection busy(port());
  ASSERT_TRUE(busy.Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(busy.ReadResponse().status, 200);
  const auto start = std::chrono::steady_clock::now();
  exporter_->process().Signal(SIGTERM);
  const int status = exporter_->process().Wait(std::chrono::seconds(3));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_NE(status, -1) << "did not exit";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_LT(took, std::chrono::seconds(1));
  EXPECT_TRUE(idle.WaitClosed(std::chrono::seconds(1)));
}

TEST_P(HttpServerTest, MaxRequestsLimitAnswers503WhenExceeded) {
  // With a limit of 1 and many parallel scrapes some must be turned away,
  // and every request still gets an answer.
  exporter_.reset();
  exporter_ = std::make_unique<ExporterProcess>(GetParam(),
                                                std::vector<std::string>{"--web.max-requests=1"});
  ASSERT_TRUE(exporter_->ready());
  std::vector<std::future<int>> results;
  for (int i = 0; i < 8; ++i) {
    results.push_back(std::async(std::launch::async, [this] {
      int unavailable = 0;
      for (int j = 0; j < 50; ++j) {
        const int s = HttpGet(port(), "/metrics").status;
        EXPECT_TRUE(s == 200 || s == 503) << s;
        unavailable += s == 503;
      }
      return unavailable;
    }));
  }
  int unavailable = 0;
  for (auto& r : results) unavailable += r.get();
  EXPECT_GT(unavailable, 0);
}

INSTANTIATE_TEST_SUITE_P(AllRoles, HttpServerTest,
                         ::testing::Values("recording_node_exporter", "streaming_gateway_exporter",
                                           "api_server_exporter"));

}  // namespace
}  // namespace vms::test
