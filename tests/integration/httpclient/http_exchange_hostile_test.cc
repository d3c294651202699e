// HttpExchange against peers that misbehave as nginx will not: silent,
// stalling, lying, cutting off, or not speaking HTTP or TLS at all. Each
// case must be classified right and end by the deadline at the latest.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>

#include "exchange_helpers.h"
#include "support/hostile_peer.h"
#include "vms/httpclient/http_exchange.h"

namespace vms {
namespace {

using namespace std::chrono_literals;
using test::Fetch;
using test::HostilePeer;
using ::testing::HasSubstr;

std::string Url(const HostilePeer& peer, const std::string& scheme = "http") {
  return scheme + "://127.0.0.1:" + std::to_string(peer.port()) + "/health";
}

HttpClientRequest Request(const std::string& url, std::chrono::milliseconds timeout) {
  HttpClientRequest r = test::Request(url, timeout);
  r.tls.insecure_skip_verify = true;
  // Built once, as a configured probe does, so that OpenSSL's first-use
  // set-up (slow under valgrind) does not eat a short deadline.
  static const auto context = BuildTlsClientContext(r.tls);
  r.tls_context = *context;
  return r;
}

// Answers the request head with `answer`, then keeps the connection open
// until the client closes it.
HostilePeer::Serve AnswerThenStall(std::string answer, std::atomic<bool>* client_closed = nullptr) {
  return [answer, client_closed](int fd, std::atomic<bool>& stop) {
    if (!HostilePeer::ReadRequest(fd, stop)) return;
    if (!answer.empty() && !HostilePeer::WriteAll(fd, answer)) return;
    const bool closed = HostilePeer::WaitForClose(fd, stop);
    if (client_closed) *client_closed = closed;
  };
}

// Answers with `answer` and closes.
HostilePeer::Serve AnswerThenClose(std::string answer) {
  return [answer](int fd, std::atomic<bool>& stop) {
    if (HostilePeer::ReadRequest(fd, stop)) HostilePeer::WriteAll(fd, answer);
  };
}

TEST(HttpExchangeHostileTest, SilentPeerTimesOutWaitingForTheResponse) {
  std::atomic<bool> closed{false};
  HostilePeer peer(AnswerThenStall("", &closed));
  const auto r = Fetch(Request(Url(peer), 300ms));
  EXPECT_EQ(r.failure, HttpFailure::kTimeout) << r.error;
  EXPECT_EQ(r.failed_phase, HttpPhase::kProcessing);
  EXPECT_THAT(r.error, HasSubstr("waiting for the response from 127.0.0.1:"));
  EXPECT_GE(r.total, 300ms);  // the deadline, not before
  EXPECT_EQ(r.status, 0);
  // The socket was closed at the deadline: the peer saw the end of it.
  for (int i = 0; i < 200 && !closed; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(closed);
}

TEST(HttpExchangeHostileTest, HalfTheHeadersThenAStallTimesOutInTransfer) {
  HostilePeer peer(AnswerThenStall("HTTP/1.1 200 OK\r\nContent-Type: te"));
  const auto r = Fetch(Request(Url(peer), 300ms));
  EXPECT_EQ(r.failure, HttpFailure::kTimeout) << r.error;
  EXPECT_EQ(r.failed_phase, HttpPhase::kTransfer);
  EXPECT_THAT(r.error, HasSubstr("reading the response"));
  EXPECT_THAT(r.error, HasSubstr("33 bytes in"));
}

TEST(HttpExchangeHostileTest, SlowDripBodyTimesOutInTransfer) {
  HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    if (!HostilePeer::ReadRequest(fd, stop)) return;
    HostilePeer::WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
    while (!stop && HostilePeer::WriteAll(fd, "x")) std::this_thread::sleep_for(20ms);
  });
  const auto r = Fetch(Request(Url(peer), 400ms));
  EXPECT_EQ(r.failure, HttpFailure::kTimeout) << r.error;
  EXPECT_EQ(r.failed_phase, HttpPhase::kTransfer);
  EXPECT_GE(r.total, 400ms);
}

TEST(HttpExchangeHostileTest, GarbageIsAProtocolError) {
  for (const std::string& garbage :
       {std::string("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
        std::string("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"), std::string("\0\1\2\3\4\5\r\n\r\n", 10),
        std::string("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n")}) {
    HostilePeer peer(AnswerThenStall(garbage));
    // A long deadline: a protocol error must end the exchange by itself.
    const auto r = Fetch(Request(Url(peer), 10s));
    EXPECT_EQ(r.failure, HttpFailure::kProtocol) << garbage << ": " << r.error;
    EXPECT_THAT(r.error, HasSubstr("not a valid HTTP response"));
  }
}

TEST(HttpExchangeHostileTest, ClosingMidBodyIsAProtocolError) {
  {
    HostilePeer peer(
        AnswerThenClose("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(100, 'b')));
    const auto r = Fetch(Request(Url(peer), 10s));
    EXPECT_EQ(r.failure, HttpFailure::kProtocol) << r.error;
    EXPECT_EQ(r.failed_phase, HttpPhase::kTransfer);
    EXPECT_THAT(r.error, HasSubstr("mid-body after 100 of 1000 bytes"));
  }
  {
    HostilePeer peer(
        AnswerThenClose("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                        "chunked\r\n\r\n10\r\n0123456789abcdef\r\n10\r\n0123"));
    const auto r = Fetch(Request(Url(peer), 10s));
    EXPECT_EQ(r.failure, HttpFailure::kProtocol) << r.error;
    EXPECT_THAT(r.error, HasSubstr("mid-body"));
  }
}

TEST(HttpExchangeHostileTest, ClosingOrResettingWithoutAnAnswerIsAProtocolError) {
  {
    HostilePeer peer(AnswerThenClose(""));
    const auto r = Fetch(Request(Url(peer), 10s));
    EXPECT_EQ(r.failure, HttpFailure::kProtocol) << r.error;
    EXPECT_EQ(r.failed_phase, HttpPhase::kProcessing);
    EXPECT_THAT(r.error, HasSubstr("closed before any response"));
  }
  {
    HostilePeer peer([](int fd, std::atomic<bool>& stop) {
      if (!HostilePeer::ReadRequest(fd, stop)) return;
      const linger reset{1, 0};  // close() sends a RST
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    });
    const auto r = Fetch(Request(Url(peer), 10s));
    EXPECT_EQ(r.failure, HttpFailure::kProtocol) << r.error;
    EXPECT_THAT(r.error, HasSubstr("reset"));
  }
}

TEST(HttpExchangeHostileTest, EndlessHeadersAreCutOffAtTheLimit) {
  std::atomic<std::size_t> sent{0};
  HostilePeer peer([&](int fd, std::atomic<bool>& stop) {
    if (!HostilePeer::ReadRequest(fd, stop)) return;
    HostilePeer::WriteAll(fd, "HTTP/1.1 200 OK\r\nX-Endless: ");
    const std::string chunk(4096, 'a');
    for (int i = 0; i < 16 * 1024 && !stop && HostilePeer::WriteAll(fd, chunk); ++i) {
      sent += chunk.size();
    }
  });
  HttpClientRequest request = Request(Url(peer), 10s);
  request.max_header_bytes = 16 * 1024;
  const auto r = Fetch(request);
  EXPECT_EQ(r.failure, HttpFailure::kProtocol) << r.error;
  EXPECT_THAT(r.error, HasSubstr("headers exceed 16384 bytes"));
  // The client stopped reading at the limit; the peer could push only what
  // the socket buffers took before the connection was closed.
  EXPECT_LT(sent.load(), 16u * 1024 * 1024);
}

TEST(HttpExchangeHostileTest, EndlessBodyIsCutOffAtTheCap) {
  HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    if (!HostilePeer::ReadRequest(fd, stop)) return;
    HostilePeer::WriteAll(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    const std::string chunk(4096, 'z');
    for (int i = 0; i < 16 * 1024 && !stop && HostilePeer::WriteAll(fd, chunk); ++i) {
    }
  });
  HttpClientRequest request = Request(Url(peer), 10s);
  request.max_body_bytes = 64 * 1024;
  const auto r = Fetch(request);
  EXPECT_EQ(r.failure, HttpFailure::kBodyTooLarge) << r.error;
  EXPECT_EQ(r.failed_phase, HttpPhase::kTransfer);
}

TEST(HttpExchangeHostileTest, StalledTlsHandshakeTimesOutInTls) {
  std::atomic<std::size_t> client_hello{0};
  HostilePeer peer([&](int fd, std::atomic<bool>& stop) {
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // the ClientHello
    if (n > 0) client_hello = static_cast<std::size_t>(n);
    HostilePeer::WaitForClose(fd, stop);
  });
  const auto r = Fetch(Request(Url(peer, "https"), 1s));
  EXPECT_EQ(r.failure, HttpFailure::kTimeout) << r.error;
  EXPECT_EQ(r.failed_phase, HttpPhase::kTls);
  EXPECT_THAT(r.error, HasSubstr("TLS handshake"));
  EXPECT_GT(client_hello.load(), 0u);
  EXPECT_FALSE(r.cert_not_after);
}

TEST(HttpExchangeHostileTest, PlainHttpPeerOnAnHttpsUrlIsATlsFailure) {
  HostilePeer peer([](int fd, std::atomic<bool>& stop) {
    char buf[4096];
    if (::recv(fd, buf, sizeof buf, 0) <= 0) return;
    HostilePeer::WriteAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    HostilePeer::WaitForClose(fd, stop);
  });
  const auto r = Fetch(Request(Url(peer, "https"), 10s));
  EXPECT_EQ(r.failure, HttpFailure::kTls) << r.error;
  EXPECT_EQ(r.failed_phase, HttpPhase::kTls);
}

TEST(HttpExchangeHostileTest, TlsPeerClosingInTheHandshakeIsATlsFailure) {
  HostilePeer peer([](int fd, std::atomic<bool>&) {
    char buf[4096];
    (void)::recv(fd, buf, sizeof buf, 0);
  });
  const auto r = Fetch(Request(Url(peer, "https"), 10s));
  EXPECT_EQ(r.failure, HttpFailure::kTls) << r.error;
  EXPECT_THAT(r.error, HasSubstr("closed the connection in the TLS handshake"));
}

TEST(HttpExchangeHostileTest, InterimAnswersAreSkipped) {
  HostilePeer peer(AnswerThenStall(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  const auto r = Fetch(Request(Url(peer), 10s));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
}

TEST(HttpExchangeHostileTest, Ipv6PeerTimesOut) {
  if (!test::HasIpv6Loopback()) GTEST_SKIP() << "this machine cannot listen on [::1]";
  HostilePeer peer(AnswerThenStall(""), /*ipv6=*/true);
  const auto r = Fetch(Request("http://[::1]:" + std::to_string(peer.port()) + "/", 200ms));
  EXPECT_EQ(r.failure, HttpFailure::kTimeout) << r.error;
  EXPECT_THAT(r.error, HasSubstr("[::1]:"));
  EXPECT_EQ(peer.connections(), 1);
}

}  // namespace
}  // namespace vms
