#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"

namespace vms {

// TCP states as /proc/net/tcp writes them (include/net/tcp_states.h).
enum class TcpState : std::uint8_t {
  kEstablished = 1,
  kSynSent = 2,
  kSynRecv = 3,
  kFinWait1 = 4,
  kFinWait2 = 5,
  kTimeWait = 6,
  kClose = 7,
  kCloseWait = 8,
  kLastAck = 9,
  kListen = 10,
  kClosing = 11,
  kNewSynRecv = 12,
};

// One socket of /proc/net/tcp or /proc/net/tcp6. Addresses are in network
// byte order, IPv4 in the first 4 bytes (a v4-mapped v6 socket keeps its
// ::ffff:a.b.c.d form).
struct TcpSocket {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> local_address{};
  std::uint16_t local_port = 0;
  std::array<std::uint8_t, 16> remote_address{};
  std::uint16_t remote_port = 0;
  TcpState state = TcpState::kClose;
  std::uint32_t uid = 0;
  std::uint64_t inode = 0;
};

// Parses the whole text of /proc/net/tcp (ipv6 false) or /proc/net/tcp6
// (true). The kernel prints each address as 32-bit words in host byte order
// (little-endian here) and the port in hex; both are turned into network
// order. A malformed line is an error naming its number: the file is the
// kernel's, so anything unexpected is worth saying rather than skipping.
Result<std::vector<TcpSocket>> ParseNetTcp(std::string_view text, bool ipv6);

// The same, handing each socket to `visit` instead of keeping them all: a
// busy server has tens of thousands, and counting needs none of them after.
Status VisitNetTcp(std::string_view text, bool ipv6,
                   const std::function<void(const TcpSocket&)>& visit);

// "192.168.1.10" or "::1" (RFC 5952 via inet_ntop), for tests and logs.
std::string FormatAddress(const TcpSocket& socket, bool local);

}  // namespace vms
