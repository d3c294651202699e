#include "vms/media/ts_packet_scanner.h"

#include <algorithm>
#include <cstdint>

namespace vms::media {
namespace {

constexpr int kPatPid = 0;

struct TsHeader {
  bool sync = false;
  int pid = -1;
  bool unit_start = false;
  std::string_view payload;
};

TsHeader ParseHeader(std::string_view p) {
  TsHeader h;
  if (p.size() < kTsPacketSize || static_cast<std::uint8_t>(p[0]) != 0x47) return h;
  const auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(p[i]); };
  h.sync = true;
  h.unit_start = (b(1) & 0x40) != 0;
  h.pid = ((b(1) & 0x1F) << 8) | b(2);
  const int adaptation = (b(3) >> 4) & 0x3;
  std::size_t start = 4;
  if (adaptation == 2) return h;  // no payload
  if (adaptation == 3) start = 5 + b(4);
  if (start < kTsPacketSize) h.payload = p.substr(start, kTsPacketSize - start);
  return h;
}

// The PMT PID of the first program in a PAT section (program 0 is the NIT).
int PmtPidFromPat(std::string_view payload) {
  if (payload.empty()) return -1;
  const std::size_t pointer = static_cast<std::uint8_t>(payload[0]);
  std::string_view s = payload.substr(std::min(payload.size(), 1 + pointer));
  if (s.size() < 8 || s[0] != 0) return -1;
  const auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  const std::size_t section_length = ((b(1) & 0x0F) << 8) | b(2);
  // Entries run from byte 8 up to the CRC, the last 4 bytes of the section.
  const std::size_t section_end = 3 + section_length;
  if (section_end < 8 + 4) return -1;
  const std::size_t end = std::min(s.size(), section_end - 4);
  for (std::size_t i = 8; i + 4 <= end; i += 4) {
    const int program = (b(i) << 8) | b(i + 1);
    if (program != 0) return ((b(i + 2) & 0x1F) << 8) | b(i + 3);
  }
  return -1;
}

}  // namespace

void CaptureProgramTables(std::string_view packets, TsProgramTables* tables) {
  for (std::size_t at = 0; at + kTsPacketSize <= packets.size() && !tables->complete();
       at += kTsPacketSize) {
    const std::string_view packet = packets.substr(at, kTsPacketSize);
    const TsHeader h = ParseHeader(packet);
    if (!h.sync || !h.unit_start) continue;
    if (h.pid == kPatPid && tables->pat_packet.empty()) {
      const int pmt_pid = PmtPidFromPat(h.payload);
      if (pmt_pid > 0) {
        tables->pat_packet = std::string(packet);
        tables->pmt_pid = pmt_pid;
      }
    } else if (h.pid == tables->pmt_pid && tables->pmt_packet.empty()) {
      tables->pmt_packet = std::string(packet);
    }
  }
}

TsWindowScanner::TsWindowScanner(std::vector<int> pes_pids, TsProgramTables* tables)
    : open_pids_(std::move(pes_pids)), open_(open_pids_.size()), tables_(tables) {}

void TsWindowScanner::Feed(std::string_view bytes) {
  if (done()) return;
  if (!partial_.empty()) {
    const std::size_t need = std::min(kTsPacketSize - partial_.size(), bytes.size());
    partial_.append(bytes.substr(0, need));
    bytes.remove_prefix(need);
    if (partial_.size() < kTsPacketSize) return;
    Packet(partial_);
    partial_.clear();
  }
  while (bytes.size() >= kTsPacketSize && !done()) {
    Packet(bytes.substr(0, kTsPacketSize));
    bytes.remove_prefix(kTsPacketSize);
  }
  if (!done()) partial_.assign(bytes);
}

void TsWindowScanner::Packet(std::string_view packet) {
  if (tables_ != nullptr && !tables_->complete()) CaptureProgramTables(packet, tables_);
  if (open_ == 0) return;
  const TsHeader h = ParseHeader(packet);
  if (!h.sync) return;
  const auto it = std::find(open_pids_.begin(), open_pids_.end(), h.pid);
  if (it == open_pids_.end()) return;
  if (h.unit_start) {
    *it = -1;  // from here on the demuxer sees this PID whole
    --open_;
  } else {
    continuation_bytes_ += h.payload.size();
  }
}

}  // namespace vms::media
