#include "vms/procfs/net_tcp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "support/subprocess.h"
#include "vms/base/file.h"

namespace vms {
namespace {

using ::testing::HasSubstr;

std::size_t Count(const std::vector<TcpSocket>& sockets, std::uint16_t port, TcpState state) {
  return static_cast<std::size_t>(
      std::count_if(sockets.begin(), sockets.end(),
                    [&](const TcpSocket& s) { return s.local_port == port && s.state == state; }));
}

std::vector<TcpSocket> Fixture(const std::string& name, bool ipv6) {
  auto text = ReadFile(test::SourcePath("tests/fixtures/procfs/" + name));
  EXPECT_TRUE(text.ok()) << text.error();
  auto parsed = ParseNetTcp(*text, ipv6);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return parsed.ok() ? *parsed : std::vector<TcpSocket>{};
}

// tests/fixtures/procfs/make_net_tcp.py says what the recorded files hold.
TEST(NetTcpTest, RecordedIpv4Sockets) {
  const auto sockets = Fixture("net_tcp.txt", false);
  EXPECT_EQ(Count(sockets, 48080, TcpState::kListen), 1u);
  EXPECT_EQ(Count(sockets, 48080, TcpState::kEstablished), 3u);
  const auto listener = std::find_if(sockets.begin(), sockets.end(), [](const TcpSocket& s) {
    return s.local_port == 48080 && s.state == TcpState::kListen;
  });
  ASSERT_NE(listener, sockets.end());
  EXPECT_EQ(FormatAddress(*listener, true), "127.0.0.1");
  EXPECT_EQ(FormatAddress(*listener, false), "0.0.0.0");
  EXPECT_GT(listener->inode, 0u);
}

TEST(NetTcpTest, RecordedIpv6AndV4MappedSockets) {
  const auto sockets = Fixture("net_tcp6.txt", true);
  EXPECT_EQ(Count(sockets, 48081, TcpState::kEstablished), 2u);
  EXPECT_EQ(Count(sockets, 48081, TcpState::kListen), 1u);
  EXPECT_EQ(Count(sockets, 48082, TcpState::kEstablished), 1u);
  for (const TcpSocket& s : sockets) {
    if (s.local_port == 48081) {
      EXPECT_EQ(FormatAddress(s, true), "::1");
    }
    if (s.local_port == 48082 && s.state == TcpState::kEstablished) {
      EXPECT_EQ(FormatAddress(s, true), "::ffff:127.0.0.1");
    }
    if (s.local_port == 48082 && s.state == TcpState::kListen) {
      EXPECT_EQ(FormatAddress(s, true), "::");
    }
  }
}

TEST(NetTcpTest, MalformedLinesNameTheirNumber) {
  const std::string header = "  sl  local_address rem_address   st ...\n";
  const std::string good =
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
      "1234 1 0000000000000000 100 0 0 10 0\n";
  EXPECT_TRUE(ParseNetTcp(header + good, false).ok());
  EXPECT_TRUE(ParseNetTcp("", false).ok());
  EXPECT_TRUE(ParseNetTcp(header, false).ok());
  for (const std::string bad :
       {"   0: 0100007F:1F90 00000000:0000 0A\n",                                      // short
        "   0: 0100007G:1F90 00000000:0000 0A 0:0 0:0 0 0 0 1 1\n",                    // not hex
        "   0: 0100007F1F90 00000000:0000 0A 0:0 0:0 0 0 0 1 1\n",                     // no colon
        "   0: 0100007F:1F90 00000000:0000 0D 0:0 0:0 0 0 0 1 1\n",                    // state 13
        "   0: 0100007F:1F90 00000000:0000 0A 0:0 0:0 0 x 0 1 1\n",                    // uid
        "   0: 00000000000000000000000001000000:BBD1 00:0 0A 0:0 0:0 0 0 0 1 1\n"}) {  // v6 in v4
    const auto r = ParseNetTcp(header + good + bad, false);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error(), HasSubstr("/proc/net/tcp line 3: "));
  }
  EXPECT_FALSE(ParseNetTcp(header + good, true).ok());  // a v4 line in tcp6
}

// The live file, with connections this test opens: the parser agrees with
// the kernel about what it made.
TEST(NetTcpTest, CountsConnectionsThisProcessOpens) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::uint16_t port = ntohs(addr.sin_port);
  std::vector<int> fds;
  for (int i = 0; i < 4; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    fds.push_back(c);
    fds.push_back(::accept(listener, nullptr, nullptr));
  }
  auto text = ReadFile("/proc/net/tcp");
  ASSERT_TRUE(text.ok()) << text.error();
  auto sockets = ParseNetTcp(*text, false);
  ASSERT_TRUE(sockets.ok()) << sockets.error();
  EXPECT_EQ(Count(*sockets, port, TcpState::kEstablished), 4u);
  EXPECT_EQ(Count(*sockets, port, TcpState::kListen), 1u);
  for (int fd : fds) ::close(fd);
  ::close(listener);
}

}  // namespace
}  // namespace vms
