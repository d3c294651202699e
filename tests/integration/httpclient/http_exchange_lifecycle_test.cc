// HttpExchange's promises about its callback and its socket: never called
// from inside Start(), never after Abandon() or destruction, the socket
// closed at once, a new Start() from inside the callback safe; and
// credentials that stay with their origin across redirects.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <mutex>

#include "exchange_helpers.h"
#include "support/hostile_peer.h"
#include "vms/httpclient/http_exchange.h"

namespace vms {
namespace {

using namespace std::chrono_literals;
using test::Fetch;
using test::HostilePeer;
using ::testing::HasSubstr;
using ::testing::Not;

// Reads the request, records it, then holds the connection until the
// client closes it (recording that too).
struct StallingPeer {
  StallingPeer()
      : peer([this](int fd, std::atomic<bool>& stop) {
          std::string request;
          if (!HostilePeer::ReadRequest(fd, stop, &request)) return;
          {
            std::lock_guard lock(mu);
            requests.push_back(request);
          }
          if (HostilePeer::WaitForClose(fd, stop)) ++closed;
        }) {}
  std::string url() const { return "http://127.0.0.1:" + std::to_string(peer.port()) + "/"; }
  bool WaitClosed(int count) const {
    for (int i = 0; i < 200 && closed < count; ++i) std::this_thread::sleep_for(10ms);
    return closed >= count;
  }
  std::mutex mu;
  std::vector<std::string> requests;
  std::atomic<int> closed{0};
  HostilePeer peer;
};

HttpClientRequest Request(const std::string& url, std::chrono::milliseconds timeout = 10s) {
  return test::Request(url, timeout);
}

TEST(HttpExchangeLifecycleTest, AbandonClosesAtOnceAndNeverCallsBack) {
  StallingPeer peer;
  boost::asio::io_context io;
  HttpExchange exchange(io);
  bool called = false;
  exchange.Start(Request(peer.url()), [&](HttpClientResult) { called = true; });
  io.run_for(200ms);
  EXPECT_TRUE(exchange.running());
  exchange.Abandon();
  EXPECT_FALSE(exchange.running());
  EXPECT_TRUE(peer.WaitClosed(1));
  io.restart();
  io.run_for(100ms);
  EXPECT_FALSE(called);
}

TEST(HttpExchangeLifecycleTest, DestroyingTheExchangeInFlightIsSafe) {
  StallingPeer peer;
  boost::asio::io_context io;
  bool called = false;
  {
    HttpExchange exchange(io);
    exchange.Start(Request(peer.url()), [&](HttpClientResult) { called = true; });
    io.run_for(200ms);
  }
  EXPECT_TRUE(peer.WaitClosed(1));
  io.restart();
  io.run();  // what is left of the run drains without calling back
  EXPECT_FALSE(called);
}

TEST(HttpExchangeLifecycleTest, TimedOutFromOutsideSaysWhereItWas) {
  StallingPeer peer;
  boost::asio::io_context io;
  HttpExchange exchange(io);
  std::optional<HttpClientResult> result;
  exchange.Start(Request(peer.url()), [&](HttpClientResult r) { result = std::move(r); });
  io.run_for(200ms);
  exchange.TimedOut();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->failure, HttpFailure::kTimeout);
  EXPECT_EQ(result->failed_phase, HttpPhase::kProcessing);
  EXPECT_TRUE(peer.WaitClosed(1));
}

TEST(HttpExchangeLifecycleTest, NeverCallsBackFromInsideStart) {
  boost::asio::io_context io;
  HttpExchange exchange(io);
  int calls = 0;
  HttpClientResult last;
  const auto count = [&](HttpClientResult r) {
    ++calls;
    last = std::move(r);
  };
  exchange.Start(Request("ftp://nowhere/"), count);
  EXPECT_EQ(calls, 0);
  io.run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(last.failure, HttpFailure::kRequest);

  HttpClientRequest late = Request("http://127.0.0.1:9/");
  late.deadline = std::chrono::steady_clock::now() - 1s;
  exchange.Start(late, count);
  EXPECT_EQ(calls, 1);
  io.restart();
  io.run();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(last.failure, HttpFailure::kTimeout);
}

TEST(HttpExchangeLifecycleTest, StartingAgainFromTheCallbackIsSafe) {
  HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    if (HostilePeer::ReadRequest(fd, stop)) {
      HostilePeer::WriteAll(fd, "HTTP/1.1 204 No Content\r\n\r\n");
    }
  });
  boost::asio::io_context io;
  HttpExchange exchange(io);
  int done = 0;
  const std::string url = "http://127.0.0.1:" + std::to_string(peer.port()) + "/";
  std::function<void(HttpClientResult)> again = [&](HttpClientResult r) {
    EXPECT_EQ(r.status, 204) << r.error;
    if (++done < 5) exchange.Start(Request(url), again);
  };
  exchange.Start(Request(url), again);
  io.run_for(10s);
  EXPECT_EQ(done, 5);
  EXPECT_EQ(peer.connections(), 5);
}

TEST(HttpExchangeLifecycleTest, CredentialsStayWithTheirOrigin) {
  StallingPeer elsewhere;
  std::string first_request;
  HostilePeer origin([&](int fd, std::atomic<bool>& stop) {
    if (!HostilePeer::ReadRequest(fd, stop, &first_request)) return;
    HostilePeer::WriteAll(fd, "HTTP/1.1 302 Found\r\nLocation: " + elsewhere.url() +
                                  "next\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClientRequest request =
      Request("http://probe:Pr0be-Secret@127.0.0.1:" + std::to_string(origin.port()) + "/", 500ms);
  request.max_redirects = 2;
  const auto r = Fetch(request);
  EXPECT_EQ(r.failure, HttpFailure::kTimeout) << r.error;  // the second peer never answers
  EXPECT_EQ(r.redirects, 1);
  EXPECT_EQ(r.final_url, elsewhere.url() + "next");
  EXPECT_THAT(first_request, HasSubstr("Authorization: Basic cHJvYmU6UHIwYmUtU2VjcmV0\r\n"));
  std::lock_guard lock(elsewhere.mu);
  ASSERT_EQ(elsewhere.requests.size(), 1u);
  EXPECT_THAT(elsewhere.requests[0], HasSubstr("GET /next HTTP/1.1\r\n"));
  EXPECT_THAT(elsewhere.requests[0], Not(HasSubstr("Authorization")));
  EXPECT_THAT(r.error, Not(HasSubstr("Pr0be-Secret")));
}

}  // namespace
}  // namespace vms
