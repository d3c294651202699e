#include "vms/procfs/net_dev.h"

#include <array>
#include <charconv>

#include "vms/base/text.h"

namespace vms {
namespace {

// Receive: bytes packets errs drop fifo frame compressed multicast;
// transmit: bytes packets errs drop fifo colls carrier compressed.
constexpr std::size_t kFields = 16;

bool ParseCounters(std::string_view text, std::array<std::uint64_t, kFields>& out) {
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break;
    if (n == kFields) return false;
    const char* begin = text.data() + i;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, out[n]);
    if (ec != std::errc() || (ptr != end && *ptr != ' ' && *ptr != '\t')) return false;
    i += static_cast<std::size_t>(ptr - begin);
    ++n;
  }
  return n == kFields;
}

}  // namespace

Result<std::vector<NetDevStats>> ParseNetDev(std::string_view text) {
  std::vector<NetDevStats> out;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    const auto colon = line.find(':');
    // Header lines ("Inter-|   Receive ...", " face |bytes ...") have no colon.
    if (colon == std::string_view::npos) continue;
    const std::string_view name = Trim(line.substr(0, colon));
    std::array<std::uint64_t, kFields> c{};
    if (name.empty() || !ParseCounters(line.substr(colon + 1), c)) {
      return Status::Error("malformed /proc/net/dev line " + std::to_string(line_number) + ": \"" +
                           std::string(Trim(line)) + "\"");
    }
    NetDevStats& s = out.emplace_back();
    s.interface = std::string(name);
    s.receive_bytes = c[0];
    s.receive_packets = c[1];
    s.receive_errors = c[2];
    s.receive_drops = c[3];
    s.transmit_bytes = c[8];
    s.transmit_packets = c[9];
    s.transmit_errors = c[10];
    s.transmit_drops = c[11];
  }
  return out;
}

}  // namespace vms
