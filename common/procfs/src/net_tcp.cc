#include "vms/procfs/net_tcp.h"

#include <arpa/inet.h>

#include "vms/base/text.h"

namespace vms {
namespace {

// Exactly `digits` hex digits into `out`.
bool ParseHex(std::string_view text, std::size_t digits, std::uint64_t& out) {
  if (text.size() != digits) return false;
  out = 0;
  for (const char c : text) {
    const int d = HexDigitValue(c);
    if (d < 0) return false;
    out = out << 4 | static_cast<std::uint64_t>(d);
  }
  return true;
}

// "0100007F:1F90": the kernel's %08X per 32-bit word of the address, in the
// machine's byte order, then ':' and the port.
bool ParseEndpoint(std::string_view text, bool ipv6, std::array<std::uint8_t, 16>& address,
                   std::uint16_t& port) {
  const std::size_t words = ipv6 ? 4 : 1;
  if (text.size() != words * 8 + 5 || text[words * 8] != ':') return false;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t word = 0;
    if (!ParseHex(text.substr(w * 8, 8), 8, word)) return false;
    // The word was printed from memory read as a host-order integer: its
    // bytes in memory are the address bytes.
    const std::uint32_t host = static_cast<std::uint32_t>(word);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&host);
    for (std::size_t b = 0; b < 4; ++b) address[w * 4 + b] = bytes[b];
  }
  std::uint64_t p = 0;
  if (!ParseHex(text.substr(words * 8 + 1), 4, p)) return false;
  port = static_cast<std::uint16_t>(p);
  return true;
}

}  // namespace

Result<std::vector<TcpSocket>> ParseNetTcp(std::string_view text, bool ipv6) {
  std::vector<TcpSocket> sockets;
  if (Status s = VisitNetTcp(text, ipv6, [&](const TcpSocket& t) { sockets.push_back(t); });
      !s.ok()) {
    return s;
  }
  return sockets;
}

Status VisitNetTcp(std::string_view text, bool ipv6,
                   const std::function<void(const TcpSocket&)>& visit) {
  std::string_view line;
  std::size_t number = 0;
  while (NextLine(text, line)) {
    ++number;
    if (number == 1) continue;  // the header
    if (Trim(line).empty()) continue;
    const auto fields = SplitWhitespace(line);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    auto fail = [&](const char* what) {
      return Status::Error(std::string(ipv6 ? "/proc/net/tcp6" : "/proc/net/tcp") + " line " +
                           std::to_string(number) + ": " + what);
    };
    if (fields.size() < 10) return fail("too few fields");
    TcpSocket s;
    s.ipv6 = ipv6;
    if (!ParseEndpoint(fields[1], ipv6, s.local_address, s.local_port)) {
      return fail("bad local address");
    }
    if (!ParseEndpoint(fields[2], ipv6, s.remote_address, s.remote_port)) {
      return fail("bad remote address");
    }
    std::uint64_t state = 0;
    if (!ParseHex(fields[3], 2, state) || state < 1 || state > 12) return fail("bad state");
    s.state = static_cast<TcpState>(state);
    if (!ParseNumber(fields[7], s.uid)) return fail("bad uid");
    if (!ParseNumber(fields[9], s.inode)) return fail("bad inode");
    visit(s);
  }
  return Status::Ok();
}

std::string FormatAddress(const TcpSocket& socket, bool local) {
  const auto& a = local ? socket.local_address : socket.remote_address;
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(socket.ipv6 ? AF_INET6 : AF_INET, a.data(), buf, sizeof buf) == nullptr) return "?";
  return buf;
}

}  // namespace vms
